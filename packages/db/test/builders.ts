/** Builders for test data: a job with named layers of single-frame chunks, as nested create input. */
import { randomUUID } from 'node:crypto';
import type { Prisma } from '../src/index';

export function aJob(showId: string, spec: { layers: { name: string; frames: number }[] }) {
  const id = randomUUID();
  return {
    id,
    name: `test-job-${id.slice(0, 8)}`,
    showId,
    user: 'tester',
    spec: JSON.stringify({ submittedBy: 'test' }),
    layers: {
      create: spec.layers.map((layer, index) => ({
        id: randomUUID(),
        name: layer.name,
        index,
        command: 'echo #FRAME#',
        range: `1-${layer.frames}`,
        frames: {
          create: Array.from({ length: layer.frames }, (_, i) => ({ jobId: id, number: i + 1, frames: String(i + 1), dispatchOrder: i })),
        },
      })),
    },
  } satisfies Prisma.JobUncheckedCreateInput;
}
