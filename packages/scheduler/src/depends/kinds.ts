/** What each of OpenCue's depend types links: the kind of thing that waits and what it waits on. */
import type { DependType } from '@farmhand/contracts';

export type NodeKind = 'job' | 'layer' | 'frame';

export interface DependKinds {
  depender: NodeKind;
  on: NodeKind;
  /** Linked frame to frame (one link per frame pair) rather than as a whole. */
  perFrame: boolean;
}

export const DEPEND_KINDS: Record<DependType, DependKinds> = {
  JOB_ON_JOB: { depender: 'job', on: 'job', perFrame: false },
  JOB_ON_LAYER: { depender: 'job', on: 'layer', perFrame: false },
  JOB_ON_FRAME: { depender: 'job', on: 'frame', perFrame: false },
  LAYER_ON_JOB: { depender: 'layer', on: 'job', perFrame: false },
  LAYER_ON_LAYER: { depender: 'layer', on: 'layer', perFrame: false },
  LAYER_ON_FRAME: { depender: 'layer', on: 'frame', perFrame: false },
  FRAME_ON_JOB: { depender: 'frame', on: 'job', perFrame: false },
  FRAME_ON_LAYER: { depender: 'frame', on: 'layer', perFrame: false },
  FRAME_ON_FRAME: { depender: 'frame', on: 'frame', perFrame: false },
  FRAME_BY_FRAME: { depender: 'layer', on: 'layer', perFrame: true },
  PREVIOUS_FRAME: { depender: 'layer', on: 'layer', perFrame: true },
  // A sim frame is a frame like any other here: the whole layer waits for it.
  LAYER_ON_SIM_FRAME: { depender: 'layer', on: 'frame', perFrame: false },
};
