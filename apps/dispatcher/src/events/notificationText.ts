/** What a farm event says to a person in the bell: a title, a line, and where it links. */
import type { FarmEventKind, FarmEventPayload } from '@farmhand/contracts';

export interface NotificationText {
  title: string;
  body: string;
  link: string;
}

const jobLink = (jobId: string, frameId?: number) => `/jobs/${encodeURIComponent(jobId)}${frameId ? `?frame=${frameId}` : ''}`;
const exit = (status: number | null) => (status === null ? 'killed by a signal' : `exit ${status}`);

export function notificationText<K extends FarmEventKind>(kind: K, payload: FarmEventPayload<K>): NotificationText {
  switch (kind) {
    case 'job.finished': {
      const p = payload as FarmEventPayload<'job.finished'>;
      return p.state === 'SUCCEEDED'
        ? {
            title: `${p.jobName} finished`,
            body: `${p.counts.total} frames done (${[p.show, p.shot].filter(Boolean).join(' ')})`,
            link: jobLink(p.jobId),
          }
        : {
            title: `${p.jobName} finished with ${p.counts.dead} dead frame${p.counts.dead === 1 ? '' : 's'}`,
            body: `${p.counts.succeeded + p.counts.eaten} of ${p.counts.total} frames done; retry or eat the dead ones`,
            link: jobLink(p.jobId),
          };
    }
    case 'job.dead_frames': {
      const p = payload as FarmEventPayload<'job.dead_frames'>;
      return {
        title: `${p.jobName} has dead frames`,
        body: `frame ${p.frame} of ${p.layer} is DEAD (${exit(p.exitStatus)})`,
        link: jobLink(p.jobId, p.frameId),
      };
    }
    case 'frame.failed': {
      const p = payload as FarmEventPayload<'frame.failed'>;
      return {
        title: `Frame ${p.frame} of ${p.jobName} failed ${p.failures} times`,
        body: `${p.layer}: ${exit(p.exitStatus)}${p.dead ? '; it is DEAD' : '; it runs again'}`,
        link: jobLink(p.jobId, p.frameId),
      };
    }
    default: {
      const p = payload as FarmEventPayload<'host.down'>;
      const frames = p.jobs.reduce((n, j) => n + j.frames, 0);
      return {
        title: `Host ${p.host} is DOWN`,
        body: `${frames} frame${frames === 1 ? '' : 's'} went back to WAITING: ${p.reason}`,
        link: `/hosts?host=${encodeURIComponent(p.host)}`,
      };
    }
  }
}
