'use client';
/**
 * Asks before an action that touches many things at once (lock 12 hosts, kill 5 jobs): what
 * will happen, to what, with Confirm focused and Escape to back out.
 */
import { type ReactNode, useEffect, useRef } from 'react';

export interface ConfirmDialogProps {
  title: string;
  /** What will happen, in words. */
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ title, children, confirmLabel, danger = false, onConfirm, onCancel }: ConfirmDialogProps) {
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    ok.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
  return (
    <div style={{ position: 'fixed', inset: 0, background: '#0008', display: 'grid', placeItems: 'center', zIndex: 50 }}>
      <div
        role="alertdialog"
        aria-modal="true"
        aria-label={title}
        data-testid="confirm-dialog"
        className="panel"
        style={{ padding: 16, minWidth: 360, maxWidth: 560, display: 'flex', flexDirection: 'column', gap: 12 }}
      >
        <strong>{title}</strong>
        <div style={{ maxHeight: 260, overflow: 'auto' }}>{children}</div>
        <div style={{ display: 'flex', gap: 8, justifyContent: 'flex-end' }}>
          <button type="button" data-testid="confirm-cancel" onClick={onCancel}>
            Cancel
          </button>
          <button ref={ok} type="button" data-testid="confirm-ok" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
