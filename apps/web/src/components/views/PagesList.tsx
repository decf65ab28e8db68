'use client';
/**
 * `/views`: my composed pages, and a new one — from my role's default page (what an artist,
 * a wrangler or production looks at first) or empty. A person with no page yet sees their
 * role's default right here, and keeps it with one click.
 */
import { PAGE_KIND, type PageLayout } from '@farmhand/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { formatTime } from '../../client/format';
import { useTRPC } from '../../client/trpc';
import { PageCanvas } from './PageCanvas';

export function PagesList() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.views.pages.queryOptions());
  const save = useMutation(trpc.views.savePage.mutationOptions());
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<PageLayout | null>(null);

  const create = (pageName: string, layout: PageLayout) =>
    save.mutate(
      { name: pageName, layout, shared: true },
      {
        onSuccess: (page) => {
          queryClient.setQueryData(trpc.views.page.queryKey({ id: page.id }), page);
          void queryClient.invalidateQueries({ queryKey: trpc.views.pages.queryKey() });
          router.push(`/views/${page.id}`);
        },
        onError: (e) => setError(e.message),
      },
    );

  if (mine.error) return <div className="notice error">Could not read your pages: {mine.error.message}</div>;
  if (!mine.data) return <div className="muted">Loading your pages…</div>;
  const { pages, role, suggested } = mine.data;
  const shownDefault = preview ?? suggested.layout;
  return (
    <>
      <div className="toolbar">
        <h1>My pages</h1>
        <span className="muted">
          Pages you compose from panels — job list, host list, frame grid, log, movie, charts, problems — kept for you and shareable by
          their address.
        </span>
      </div>
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          create(name, { version: 1, panels: [] });
        }}
      >
        <input
          aria-label="New page name"
          data-testid="page-new-name"
          placeholder="new page name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="button primary" data-testid="page-new" disabled={save.isPending}>
          New empty page
        </button>
        <button
          type="button"
          data-testid="page-new-default"
          disabled={save.isPending}
          onClick={() => create(name.trim() || suggested.name, shownDefault)}
        >
          New page from the {role} default
        </button>
        {error && (
          <span className="field-error" data-testid="error-name">
            {error}
          </span>
        )}
      </form>
      {pages.length > 0 ? (
        <table className="dense panel" data-testid="pages-list">
          <thead>
            <tr>
              <th>Page</th>
              <th>Panels</th>
              <th>Shared</th>
              <th>Changed</th>
            </tr>
          </thead>
          <tbody>
            {pages.map((p) => (
              <tr key={p.id} data-kind={PAGE_KIND}>
                <td>
                  <Link href={`/views/${p.id}`} data-testid="page-link">
                    {p.name}
                  </Link>
                </td>
                <td>{p.layout.panels.length}</td>
                <td>{p.shared ? 'by link' : 'only me'}</td>
                <td>{formatTime(p.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <>
          <div className="notice" data-testid="page-default-note">
            You have no page yet. This is the {role}’s default, “{suggested.name}”: rearrange it, then keep it as yours.
          </div>
          <PageCanvas panels={shownDefault.panels} onChange={(panels) => setPreview({ version: 1, panels })} />
        </>
      )}
    </>
  );
}
