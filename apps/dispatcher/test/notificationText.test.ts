/** What each farm event says in the bell, and where it links. */
import { describe, expect, it } from 'vitest';
import { notificationText } from '../src/events/notificationText';

const job = { jobId: 'j1', jobName: 'sh010_light', show: 'feature', shot: 'sh010', user: 'alice' };

describe('notification text', () => {
  it.each([
    [
      'a job that succeeded',
      notificationText('job.finished', { ...job, state: 'SUCCEEDED', counts: { succeeded: 10, dead: 0, eaten: 0, total: 10 } }),
      { title: 'sh010_light finished', body: '10 frames done (feature sh010)', link: '/jobs/j1' },
    ],
    [
      'a job that finished with dead frames',
      notificationText('job.finished', { ...job, state: 'FAILED', counts: { succeeded: 7, dead: 2, eaten: 1, total: 10 } }),
      { title: 'sh010_light finished with 2 dead frames', body: '8 of 10 frames done; retry or eat the dead ones', link: '/jobs/j1' },
    ],
    [
      "a job's first dead frame, linking to the frame",
      notificationText('job.dead_frames', { ...job, frameId: 42, layer: 'beauty', frame: 1001, exitStatus: 3 }),
      { title: 'sh010_light has dead frames', body: 'frame 1001 of beauty is DEAD (exit 3)', link: '/jobs/j1?frame=42' },
    ],
    [
      'a frame that failed N times and runs again',
      notificationText('frame.failed', { ...job, frameId: 42, layer: 'beauty', frame: 1001, failures: 3, exitStatus: null, dead: false }),
      { title: 'Frame 1001 of sh010_light failed 3 times', body: 'beauty: killed by a signal; it runs again', link: '/jobs/j1?frame=42' },
    ],
    [
      'a host down, linking to the host',
      notificationText('host.down', {
        hostId: 'h1',
        host: 'render07',
        reason: 'no report for 300 s',
        jobs: [{ jobId: 'j1', jobName: 'a', show: 'feature', user: 'alice', frames: 1 }],
      }),
      { title: 'Host render07 is DOWN', body: '1 frame went back to WAITING: no report for 300 s', link: '/hosts?host=render07' },
    ],
  ])('%s', (_, text, expected) => {
    expect(text).toEqual(expected);
  });
});
