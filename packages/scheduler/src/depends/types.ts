/**
 * What the depend graph is told: the shape of each job (layers, frames or chunks with the
 * frame numbers they render) and the depends between them, with OpenCue's types.
 */
import type { DependType } from '@farmhand/contracts';

export interface DependFrameInput {
  /** The frame row's id (a chunk is one row). */
  id: number;
  /** The frame numbers the row renders: one, or a chunk's. */
  numbers: readonly number[];
  /** Already SUCCEEDED or EATEN. */
  done?: boolean;
}

export interface DependLayerInput {
  id: string;
  name: string;
  frames: readonly DependFrameInput[];
}

export interface DependJobInput {
  id: string;
  name: string;
  layers: readonly DependLayerInput[];
}

/**
 * One depend. The first word of the type says what waits (`depender`), the last what it waits
 * on (`on`): a job id, a layer id or a frame id. FRAME_BY_FRAME and PREVIOUS_FRAME link a
 * layer to a layer; LAYER_ON_SIM_FRAME links a layer to a frame.
 */
export interface Depend {
  id: string;
  type: DependType;
  depender: string | number;
  on: string | number;
  /** For depends on a job or layer: satisfied when any one of its frames finishes. */
  anyFrame?: boolean;
}

export interface DependAdded {
  id: string;
  /** Frames that were ready and now wait (the dispatcher moves them to DEPEND). */
  blocked: number[];
}

/** One thing a frame waits on, for "why isn't my frame running?". */
export interface Blocker {
  dependId: string;
  type: DependType;
  /** "waiting on layer 'sim' frames 1-10" */
  reason: string;
}
