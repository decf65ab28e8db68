'use client';
/** The answer to the last command a page sent: applied, queued (dispatcher down) or refused, with the reason. */
import { useCallback, useState } from 'react';

export interface Notice {
  kind: 'ok' | 'queued' | 'error';
  text: string;
}

export function useCommandFeedback() {
  const [notice, setNotice] = useState<Notice | null>(null);
  const onSuccess = useCallback(
    (answer: { message: string; queued: boolean }) => setNotice({ kind: answer.queued ? 'queued' : 'ok', text: answer.message }),
    [],
  );
  const onError = useCallback((error: { message: string }) => setNotice({ kind: 'error', text: error.message }), []);
  return { notice, onSuccess, onError, clear: () => setNotice(null) };
}

export function CommandNotice({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  return (
    <span
      className={`notice ${notice.kind === 'error' ? 'error' : notice.kind === 'ok' ? 'ok' : ''}`}
      data-testid="command-notice"
      data-kind={notice.kind}
      role="status"
    >
      {notice.text}
    </span>
  );
}
