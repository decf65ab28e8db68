'use client';
/**
 * The submit page's drop zone: drop (or choose) an OpenJD template, a DAGMan .dag, an OpenCue
 * .xml or a Farmhand .json/.yaml spec. The server reads it with packages/importers and answers a
 * preview — jobs, layers with their frame counts, depends — or every problem by line; the
 * previewed jobs are submitted together, all or nothing.
 */
import type { FieldError } from '@farmhand/contracts';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { type DragEvent, useEffect, useRef, useState } from 'react';
import { useTRPC } from '../../client/trpc';

export function DropZone({ show, user }: { show: string; user: string }) {
  const trpc = useTRPC();
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [submitted, setSubmitted] = useState<{ message: string; jobIds: Record<string, string> | null } | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const preview = useMutation(trpc.imports.preview.mutationOptions());
  const submit = useMutation(
    trpc.imports.submit.mutationOptions({
      onSuccess: (answer) => setSubmitted({ message: answer.message, jobIds: answer.jobIds }),
      onError: (error) => {
        const fields = (error.data as { fields?: FieldError[] } | undefined)?.fields ?? [];
        setSubmitError(fields.length ? fields.map((f) => `${f.path}: ${f.message}`).join('\n') : error.message);
      },
    }),
  );

  const [dropped, setDropped] = useState<{ main: { name: string; text: string }; others: { name: string; text: string }[] } | null>(null);
  /** The main file is the .dag when a DAG comes with its submit files; the others are what it refers to. */
  const read = async (list: FileList) => {
    const files = [...list];
    const main = files.find((f) => /\.dag$/i.test(f.name)) ?? files[0];
    if (!main) return;
    setFileName(main.name);
    setSubmitted(null);
    setSubmitError(null);
    const others = await Promise.all(files.filter((f) => f !== main).map(async (f) => ({ name: f.name, text: await f.text() })));
    setDropped({ main: { name: main.name, text: await main.text() }, others });
  };
  // Read again when the form's show or user changes: formats that name none (DAGMan, OpenJD) take them from the form.
  const { mutate } = preview;
  useEffect(() => {
    if (!dropped) return;
    mutate({
      text: dropped.main.text,
      fileName: dropped.main.name,
      ...(show ? { show } : {}),
      ...(user ? { user } : {}),
      ...(dropped.others.length > 0 ? { others: dropped.others } : {}),
    });
  }, [dropped, show, user, mutate]);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (e.dataTransfer.files.length > 0) void read(e.dataTransfer.files);
  };

  const result = preview.data;
  return (
    <section className="panel" aria-label="Submit a job file" style={{ padding: 12, marginBottom: 12 }}>
      {/* A label: a click anywhere on it opens the file chooser, and it takes the drop. */}
      <label
        htmlFor="drop-file"
        data-testid="drop-zone"
        className={`drop-zone${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <strong>Drop a job file here</strong>
        <span className="muted">
          OpenJD template, HTCondor DAGMan .dag (with its .sub files), OpenCue .xml, or a Farmhand .json / .yaml spec. Files that name no
          show or user take the form's.
        </span>
        <span className="button-like">Choose a file…</span>
        <input
          ref={input}
          id="drop-file"
          type="file"
          data-testid="drop-file"
          aria-label="Job file"
          accept=".json,.yaml,.yml,.dag,.xml,.template,.jt"
          style={{ display: 'none' }}
          multiple
          onChange={(e) => {
            if (e.target.files && e.target.files.length > 0) void read(e.target.files);
            e.target.value = '';
          }}
        />
      </label>
      {preview.isPending && <p className="muted">Reading {fileName}…</p>}
      {preview.error && (
        <p className="field-error" role="alert">
          {preview.error.message}
        </p>
      )}
      {result && !result.ok && (
        <div data-testid="import-errors" role="alert">
          <p className="field-error">
            {fileName} cannot be submitted: {result.errors.length} problem{result.errors.length === 1 ? '' : 's'}
          </p>
          <ul className="mono import-problems">
            {result.errors.map((p) => (
              <li key={`${p.line}|${p.construct}|${p.message}`} data-testid="import-error" data-line={p.line}>
                {p.line > 0 ? `line ${p.line}` : 'file'} · <strong>{p.construct}</strong>: {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {result?.ok && (
        <div data-testid="import-preview">
          <p>
            <strong>{fileName}</strong>: {result.jobs.length} job{result.jobs.length === 1 ? '' : 's'},{' '}
            {result.jobs.reduce((n, j) => n + j.layers.length, 0)} layers, {result.frames} frames, {result.depends.length} depend
            {result.depends.length === 1 ? '' : 's'} between jobs
          </p>
          <table className="dense" style={{ width: '100%' }}>
            <thead>
              <tr>
                <th>Job</th>
                <th>Show / shot / user</th>
                <th>Layer</th>
                <th>Range</th>
                <th>Chunk</th>
                <th>Frames</th>
                <th>After layers</th>
              </tr>
            </thead>
            <tbody>
              {result.jobs.flatMap((j) =>
                j.layers.map((l, i) => (
                  <tr key={`${j.name}/${l.name}`} data-testid="preview-layer">
                    <td>{i === 0 ? j.name : ''}</td>
                    <td>{i === 0 ? `${j.show} / ${j.shot || '—'} / ${j.user || '—'}` : ''}</td>
                    <td>{l.name}</td>
                    <td className="mono">{l.range}</td>
                    <td>{l.chunk}</td>
                    <td>{l.frames}</td>
                    <td>{l.dependsOn.join(', ')}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          {result.depends.length > 0 && (
            <ul data-testid="preview-depends" style={{ marginTop: 8 }}>
              {result.depends.map((d) => (
                <li key={`${d.job}|${d.layer}|${d.onJob}|${d.onLayer}`}>
                  {d.job}
                  {d.layer ? `.${d.layer}` : ''} waits for {d.onJob}
                  {d.onLayer ? `.${d.onLayer}` : ''}
                </li>
              ))}
            </ul>
          )}
          {result.warnings.length > 0 && (
            <ul className="muted" data-testid="import-warnings">
              {result.warnings.map((w) => (
                <li key={`${w.line}|${w.construct}|${w.message}`}>
                  {w.line > 0 ? `line ${w.line}` : 'file'} · {w.construct}: {w.message}
                </li>
              ))}
            </ul>
          )}
          <div className="toolbar">
            <button
              type="button"
              className="primary"
              data-testid="import-submit"
              disabled={submit.isPending || submitted !== null}
              onClick={() => {
                setSubmitError(null);
                submit.mutate({ submission: result.submission });
              }}
            >
              {submit.isPending ? 'Submitting…' : `Submit ${result.jobs.length} job${result.jobs.length === 1 ? '' : 's'}`}
            </button>
            {submitError && (
              <span className="field-error" role="alert" style={{ whiteSpace: 'pre-line' }}>
                {submitError}
              </span>
            )}
          </div>
        </div>
      )}
      {submitted && (
        <div className="notice" data-testid="import-submitted" role="status">
          {submitted.message}
          {submitted.jobIds && (
            <ul>
              {Object.entries(submitted.jobIds).map(([name, id]) => (
                <li key={id}>
                  <Link href={`/jobs/${id}`}>{name}</Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
