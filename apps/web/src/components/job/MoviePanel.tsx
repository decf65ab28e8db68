'use client';
/**
 * The job page's Movie panel: the frame movie of each layer that has previews (packages/ui
 * MoviePlayer), read again as the job's frames change and every few seconds while it renders.
 * A placeholder opens that frame's log.
 */
import { MoviePlayer } from '@farmhand/ui';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTRPC } from '../../client/trpc';

export function MoviePanel({ jobId, version, onOpenFrame }: { jobId: string; version: string; onOpenFrame: (frameId: number) => void }) {
  const trpc = useTRPC();
  const movie = useQuery({ ...trpc.media.movie.queryOptions({ jobId }), refetchInterval: 3000 });
  const { refetch } = movie;
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => {
    if (version) void refetch();
  }, [version, refetch]);

  const layers = movie.data ?? [];
  const layer = layers.find((l) => l.layerId === picked) ?? layers[0];
  return (
    <section
      className="panel"
      data-testid="movie-panel"
      aria-label="Movie"
      style={{ padding: 8, display: 'flex', flexDirection: 'column', gap: 6 }}
    >
      <div className="toolbar">
        <strong>Movie</strong>
        {layers.length > 1 && (
          <select aria-label="Layer" value={layer?.layerId} onChange={(e) => setPicked(e.target.value)}>
            {layers.map((l) => (
              <option key={l.layerId} value={l.layerId}>
                {l.layerName}
              </option>
            ))}
          </select>
        )}
        {layer && <span className="muted">{layer.layerName}</span>}
      </div>
      {movie.error ? (
        <div className="notice error">{movie.error.message}</div>
      ) : !movie.data ? (
        <div className="muted">Loading the movie…</div>
      ) : !layer ? (
        <div className="muted" data-testid="movie-none">
          No layer of this job says where it writes images: give a render layer an output path (e.g. renders/sh010/beauty.####.png) to get a
          movie.
        </div>
      ) : (
        <MoviePlayer
          key={layer.layerId}
          frames={layer.frames}
          fps={layer.fps}
          playlist={layer.playlist}
          title={layer.layerName}
          onOpenFrame={(f) => onOpenFrame(f.frameId)}
        />
      )}
    </section>
  );
}
