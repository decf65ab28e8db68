'use client';
/**
 * `/submit`: the submit form. Validated with the shared job spec schema as the user goes
 * (the frame range shows its frame count or the grammar's error live) and again by the
 * server; every error is shown by its field. A submission becomes a command the dispatcher
 * applies; on success the job's page opens.
 */
import type { FieldError } from '@farmhand/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useFarm } from '../../client/farmContext';
import { useTRPC } from '../../client/trpc';
import { DropZone } from './DropZone';
import { describeRange, type FormErrors, INITIAL_VALUES, placeErrors, type SubmitValues, validate } from './submitForm';

const TOKENS = ['#FRAME#', '#ZFRAME#', '#IFRAME#', '#FRAME_START#', '#FRAME_END#', '#LAYER#', '#JOB#'];

function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 3 }}>
      <label htmlFor={id} style={{ fontWeight: 600 }}>
        {label}
      </label>
      {children}
      {hint && !error && (
        <span className="muted" style={{ fontSize: 12 }}>
          {hint}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`} data-testid={`error-${id}`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

export function SubmitPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { user } = useFarm();
  const shows = useQuery(trpc.shows.list.queryOptions());
  const [values, setValues] = useState<SubmitValues>(INITIAL_VALUES);
  const [errors, setErrors] = useState<FormErrors>({});
  const [touched, setTouched] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    setValues((v) => ({ ...v, user: v.user || user }));
  }, [user]);
  useEffect(() => {
    const names = shows.data?.map((s) => s.name) ?? [];
    setValues((v) => (v.show || names.length === 0 ? v : { ...v, show: names.includes('sandbox') ? 'sandbox' : (names[0] ?? '') }));
  }, [shows.data]);

  const submit = useMutation(
    trpc.commands.submit.mutationOptions({
      onSuccess: (answer) => {
        void queryClient.invalidateQueries(trpc.jobs.list.pathFilter());
        if (answer.jobId) router.push(`/jobs/${answer.jobId}`);
        else setNotice(answer.message);
      },
      onError: (error) => {
        const fields = (error.data as { fields?: FieldError[] } | undefined)?.fields ?? [];
        setErrors(fields.length ? placeErrors(fields) : { form: error.message });
      },
    }),
  );

  // A functional update: a field typed while the shows arrive must not put back the empty show
  // of the render it was typed in (that left Submit disabled for good, now and then, in CI).
  const set = (field: keyof SubmitValues) => (e: { target: { value: string } }) => {
    const value = e.target.value;
    setValues((v) => ({ ...v, [field]: value }));
  };
  // Once a submission was tried, each change is checked again as it is typed.
  useEffect(() => {
    if (touched) setErrors(validate(values).errors);
  }, [values, touched]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    setNotice(null);
    const { spec, errors: found } = validate(values);
    setErrors(found);
    if (Object.keys(found).length === 0) submit.mutate(spec as Parameters<typeof submit.mutate>[0]);
  };

  const range = describeRange(values.range, values.chunk);
  const rangeError = errors.range ?? (values.range.trim() && !range.ok ? range.text : undefined);
  const input = (field: keyof SubmitValues, extra: Record<string, unknown> = {}) => ({
    id: field,
    name: field,
    'data-testid': `submit-${field}`,
    value: values[field],
    onChange: set(field),
    'aria-invalid': errors[field] ? true : undefined,
    'aria-describedby': errors[field] ? `${field}-error` : undefined,
    ...extra,
  });

  return (
    <div style={{ maxWidth: 860, overflow: 'auto' }}>
      <DropZone show={values.show} user={values.user} />
      <form onSubmit={onSubmit} noValidate aria-label="Submit a job">
        <div className="toolbar" style={{ marginBottom: 10 }}>
          <h1>Submit a job</h1>
          <span className="muted">One layer: a shell command run once per frame (or chunk of frames).</span>
        </div>
        <div className="panel" style={{ padding: 14, display: 'grid', gridTemplateColumns: 'repeat(4, 1fr)', gap: 12 }}>
          <div style={{ gridColumn: 'span 2' }}>
            <Field id="name" label="Job name" error={errors.name}>
              <input {...input('name', { placeholder: 'e.g. sh010_lighting_v003', autoFocus: true })} />
            </Field>
          </div>
          <Field id="show" label="Show" error={errors.show}>
            <select {...input('show')}>
              {shows.data?.length === 0 && <option value="">no shows yet</option>}
              {values.show && !shows.data?.some((s) => s.name === values.show) && <option value={values.show}>{values.show}</option>}
              {shows.data?.map((s) => (
                <option key={s.id} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="shot" label="Shot" error={errors.shot}>
            <input {...input('shot', { placeholder: 'e.g. sh010' })} />
          </Field>
          <Field id="user" label="User" error={errors.user}>
            <input {...input('user')} />
          </Field>
          <Field id="layerName" label="Layer name" error={errors.layerName}>
            <input {...input('layerName')} />
          </Field>
          <Field id="maxRetries" label="Max retries" error={errors.maxRetries} hint="before a frame is DEAD">
            <input {...input('maxRetries', { inputMode: 'numeric' })} />
          </Field>
          <span />
          <div style={{ gridColumn: 'span 4' }}>
            <Field
              id="command"
              label="Command"
              error={errors.command}
              hint={
                <>
                  Tokens:{' '}
                  {TOKENS.map((t) => (
                    <button
                      type="button"
                      key={t}
                      className="mono"
                      style={{ padding: '0 4px', marginRight: 4, fontSize: 11 }}
                      aria-label={`Insert ${t}`}
                      onClick={() =>
                        set('command')({
                          target: { value: `${values.command}${values.command.endsWith(' ') || !values.command ? '' : ' '}${t}` },
                        })
                      }
                    >
                      {t}
                    </button>
                  ))}
                </>
              }
            >
              <textarea {...input('command', { rows: 3, className: 'mono', spellCheck: false })} />
            </Field>
          </div>
          <div style={{ gridColumn: 'span 2' }}>
            <Field id="range" label="Frame range" error={rangeError} hint={<span data-testid="range-count">{range.text}</span>}>
              <input
                {...input('range', {
                  placeholder: '1-100, 1-100x5, 1,3,7-9',
                  'aria-invalid': rangeError ? true : undefined,
                  className: 'mono',
                })}
              />
            </Field>
          </div>
          <Field id="chunk" label="Chunk size" error={errors.chunk} hint="frames per run">
            <input {...input('chunk', { inputMode: 'numeric' })} />
          </Field>
          <span />
          <Field id="cores" label="Cores" error={errors.cores}>
            <input {...input('cores', { inputMode: 'decimal' })} />
          </Field>
          <Field id="memoryMb" label="Memory (MB)" error={errors.memoryMb}>
            <input {...input('memoryMb', { inputMode: 'numeric' })} />
          </Field>
        </div>
        <div className="toolbar" style={{ marginTop: 12 }}>
          {/* Enabled once the shows are read and one is picked: a submission before that would be refused for an empty show. */}
          <button
            type="submit"
            className="primary"
            data-testid="submit-job"
            disabled={submit.isPending || shows.isPending || (!values.show && (shows.data?.length ?? 0) > 0)}
          >
            {submit.isPending ? 'Submitting…' : shows.isPending ? 'Reading shows…' : 'Submit'}
          </button>
          {errors.form && (
            <span className="field-error" data-testid="error-form" role="alert">
              {errors.form}
            </span>
          )}
          {notice && (
            <span className="notice" data-testid="submit-notice">
              {notice}
            </span>
          )}
        </div>
      </form>
    </div>
  );
}
