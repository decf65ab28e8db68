'use client';
/**
 * `/views/<id>`: a page composed from panels. Its owner's rearrangements are saved as soon as
 * a move or resize ends; anyone else with the URL sees the page as its owner left it, may
 * rearrange it for themselves, and keeps it by saving a copy.
 */
import { PANEL_LABELS, PANEL_TYPES, type PageView, type Panel, type PanelType } from '@farmhand/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useFarm } from '../../client/farmContext';
import { useTRPC } from '../../client/trpc';
import { PageCanvas } from './PageCanvas';
import { newPanel } from './pageLayout';

const SAVE_AFTER_MS = 250;

export function AddPanel({ onAdd }: { onAdd: (type: PanelType) => void }) {
  return (
    <select
      aria-label="Add a panel"
      data-testid="page-add-panel"
      value=""
      onChange={(e) => {
        if (e.target.value) onAdd(e.target.value as PanelType);
      }}
    >
      <option value="">+ add a panel…</option>
      {PANEL_TYPES.map((t) => (
        <option key={t} value={t}>
          {PANEL_LABELS[t]}
        </option>
      ))}
    </select>
  );
}

type SaveState = 'saved' | 'saving' | 'error' | 'unsaved';

export function ComposedPage({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { user } = useFarm();
  const page = useQuery({ ...trpc.views.page.queryOptions({ id }), staleTime: Number.POSITIVE_INFINITY });
  const [panels, setPanels] = useState<Panel[] | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const save = useMutation(trpc.views.savePage.mutationOptions());
  const copy = useMutation(trpc.views.copyPage.mutationOptions());
  const remove = useMutation(trpc.views.deletePage.mutationOptions());

  const data: PageView | undefined = page.data;
  // The page as read, until the person changes it here.
  useEffect(() => {
    if (data) setPanels(data.layout.panels);
  }, [data]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const change = useCallback(
    (next: Panel[]) => {
      setPanels(next);
      if (!data?.mine) {
        setSaveState('unsaved');
        return;
      }
      setSaveState('saving');
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        save.mutate(
          { id: data.id, name: data.name, shared: data.shared, layout: { version: 1, panels: next } },
          {
            onSuccess: (saved) => {
              queryClient.setQueryData(trpc.views.page.queryKey({ id }), saved);
              void queryClient.invalidateQueries({ queryKey: trpc.views.pages.queryKey() });
              setSaveState('saved');
              setError(null);
            },
            onError: (e) => {
              setSaveState('error');
              setError(e.message);
            },
          },
        );
      }, SAVE_AFTER_MS);
    },
    [data, save.mutate, queryClient, trpc, id],
  );

  const saveCopy = () =>
    copy.mutate(
      { id },
      {
        onSuccess: async (made) => {
          // The copy keeps what this person rearranged here, not only what the owner left.
          const layout = { version: 1 as const, panels: panels ?? made.layout.panels };
          const saved = await save.mutateAsync({ id: made.id, name: made.name, shared: made.shared, layout });
          queryClient.setQueryData(trpc.views.page.queryKey({ id: saved.id }), saved);
          void queryClient.invalidateQueries({ queryKey: trpc.views.pages.queryKey() });
          router.push(`/views/${saved.id}`);
        },
        onError: (e) => setError(e.message),
      },
    );

  if (page.error) {
    return (
      <div className="notice error" data-testid="page-error">
        {page.error.message} · <Link href="/views">my pages</Link>
      </div>
    );
  }
  if (!data || !panels) return <div className="muted">Loading the page…</div>;
  return (
    <>
      <div className="toolbar">
        <Link href="/views" className="muted">
          Pages
        </Link>
        <span className="muted">/</span>
        <h1 data-testid="page-name">{data.name}</h1>
        {!data.mine && (
          <span className="muted" data-testid="page-owner">
            {data.user}’s page{user ? ' — your changes stay here until you save a copy' : ''}
          </span>
        )}
        <AddPanel onAdd={(type) => change([...panels, newPanel(type, panels)])} />
        <span className="spacer" />
        {data.mine ? (
          <span className="muted" data-testid="page-save-status" data-state={saveState}>
            {saveState === 'saving' ? 'saving…' : saveState === 'error' ? 'not saved' : 'saved'}
          </span>
        ) : (
          <button type="button" className="button primary" data-testid="page-copy" onClick={saveCopy} disabled={copy.isPending}>
            Save a copy as mine
          </button>
        )}
        <button
          type="button"
          data-testid="page-share"
          title="Copy this page's address: anyone with it sees the page and can save a copy"
          onClick={() => void navigator.clipboard?.writeText(window.location.href).catch(() => {})}
        >
          Copy link
        </button>
        {data.mine && (
          <button
            type="button"
            className="danger"
            data-testid="page-delete"
            onClick={() => {
              if (window.confirm(`Delete the page “${data.name}”? People you shared it with lose it too.`)) {
                remove.mutate(
                  { id },
                  {
                    onSuccess: () => {
                      void queryClient.invalidateQueries({ queryKey: trpc.views.pages.queryKey() });
                      router.push('/views');
                    },
                    onError: (e) => setError(e.message),
                  },
                );
              }
            }}
          >
            Delete
          </button>
        )}
      </div>
      {error && (
        <div className="notice error" data-testid="page-save-error">
          {error}
        </div>
      )}
      {panels.length === 0 ? (
        <div className="muted">This page has no panels: add one above.</div>
      ) : (
        <PageCanvas panels={panels} onChange={change} />
      )}
    </>
  );
}
