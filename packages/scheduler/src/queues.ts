/**
 * The per-host-class queues a host pass reads: for each show subscribed to the class's
 * allocation, its matching layers grouped by shape, each group a heap ordered by job share
 * (BALANCED), job rank, next frame's dispatch order. A whole group is skipped at once when
 * its shape does not fit a host, so a pass never walks jobs that cannot run there.
 */
import { type ClassSub, type Farm, type HostClass, type LayerEntry, type LayerState, layerMatchesClass, type ShapeQueue } from './farm';
import { IndexedHeap } from './heap';

export function entryLess(a: LayerEntry, b: LayerEntry): boolean {
  if (a.share !== b.share) return a.share < b.share;
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.order !== b.order) return a.order < b.order;
  return a.layer.index < b.layer.index;
}

/** BALANCED shows share cores among their jobs in proportion to priority (at least 1). */
export function jobShare(layer: LayerState): number {
  const job = layer.job;
  return job.show.snap.mode === 'BALANCED' ? job.coresInUse / Math.max(job.snap.priority, 1) : 0;
}

export function isLayerActive(layer: LayerState): boolean {
  return !layer.job.paused && !layer.job.capped && layer.blockedLimits === 0 && layer.frames.remaining > 0;
}

/** Puts the layer's entries in, out of, or back in place in their heaps after a change. */
export function syncLayer(layer: LayerState, asideStamp = -1): void {
  const active = isLayerActive(layer);
  const share = jobShare(layer);
  const rank = layer.job.rank;
  const order = active ? layer.frames.peek().order : 0;
  for (const entry of layer.entries) {
    const heap = entry.queue.heap;
    if (!active) {
      heap.remove(entry);
      continue;
    }
    const changed = entry.share !== share || entry.rank !== rank || entry.order !== order;
    entry.share = share;
    entry.rank = rank;
    entry.order = order;
    entry.version = layer.version;
    if (heap.has(entry)) {
      if (changed) heap.update(entry);
    } else if (entry.asideStamp !== asideStamp) heap.push(entry);
  }
}

/**
 * Re-keys one entry from its layer's current state; true when its key changed. The layer's
 * version moves whenever its key may have (a frame taken, its job's share grown), so a fresh
 * entry costs one comparison.
 */
export function refreshEntry(entry: LayerEntry): boolean {
  const layer = entry.layer;
  if (entry.version === layer.version) return false;
  entry.version = layer.version;
  const share = jobShare(layer);
  const rank = layer.job.rank;
  const order = layer.frames.peek().order;
  if (entry.share === share && entry.rank === rank && entry.order === order) return false;
  entry.share = share;
  entry.rank = rank;
  entry.order = order;
  entry.queue.heap.update(entry);
  return true;
}

function addLayer(cs: ClassSub, byShape: Map<string, ShapeQueue>, layer: LayerState): LayerEntry {
  let queue = byShape.get(layer.shape.key);
  if (!queue) {
    queue = { shape: layer.shape, heap: new IndexedHeap<LayerEntry>(entryLess) };
    byShape.set(layer.shape.key, queue);
    cs.shapes.push(queue);
  }
  const entry: LayerEntry = { heapIndex: -1, layer, queue, share: 0, rank: 0, order: 0, version: -1, asideStamp: -1 };
  layer.entries.push(entry);
  return entry;
}

/** Builds the class's queues the first time a host of the class is dispatched. */
export function ensureQueues(cls: HostClass): ClassSub[] {
  if (cls.queues) return cls.queues;
  const queues: ClassSub[] = [];
  const ready = new Map<ShapeQueue, LayerEntry[]>();
  for (const sub of cls.alloc.subs) {
    const cs: ClassSub = { sub, cls, shapes: [], rejectedStamp: -1 };
    const byShape = new Map<string, ShapeQueue>();
    for (const job of sub.show.jobs) {
      for (const layer of job.layers) {
        if (!layerMatchesClass(layer.tags, cls)) continue;
        const entry = addLayer(cs, byShape, layer);
        if (!isLayerActive(layer)) continue;
        entry.share = jobShare(layer);
        entry.rank = job.rank;
        entry.order = layer.frames.peek().order;
        entry.version = layer.version;
        const list = ready.get(entry.queue) ?? [];
        list.push(entry);
        ready.set(entry.queue, list);
      }
    }
    queues.push(cs);
  }
  for (const [queue, entries] of ready) queue.heap.pushAll(entries);
  cls.queues = queues;
  return queues;
}

/** Adds a layer that arrived after the class's queues were built (incremental submissions). */
export function addLayerToBuiltQueues(farm: Farm, layer: LayerState): void {
  for (const cls of farm.classes) {
    if (!cls.queues || !layerMatchesClass(layer.tags, cls)) continue;
    const cs = cls.queues.find((q) => q.sub.show === layer.job.show);
    if (!cs) continue;
    const byShape = new Map(cs.shapes.map((q) => [q.shape.key, q]));
    addLayer(cs, byShape, layer);
  }
  syncLayer(layer, farm.hostStamp);
}
