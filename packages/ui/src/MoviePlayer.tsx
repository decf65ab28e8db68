'use client';
/**
 * The frame movie player: plays a shot's frames at its frame rate while it renders. The
 * timeline is always the shot's full length; each frame shows, in order of preference, the HLS
 * movie (hls.js, the EVENT playlist the preview layer grows), the frame's own web image (the
 * flipbook, also used wherever HLS cannot play), or a placeholder with the frame's state that
 * opens the frame's log when clicked. Frame-accurate stepping (← →, buttons), scrubbing, loop,
 * speed and a frame-number overlay. Self-contained: give it frames, a frame rate and a playlist.
 */
import type { FrameState, MediaStatus } from '@farmhand/contracts';
import type Hls from 'hls.js';
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { stateColor } from './stateColors';

export interface MoviePlayerFrame {
  number: number;
  frameId: number;
  /** The render frame's state (what a placeholder says). */
  state: FrameState;
  /** The preview's verdict: READY, BLACK (black or empty), MISSING, ERROR, PENDING. */
  status: MediaStatus;
  reason: string | null;
  /** URL of the frame's web image, or null. */
  image: string | null;
}

export interface MoviePlayerProps {
  frames: readonly MoviePlayerFrame[];
  fps: number;
  /** URL of the HLS playlist; null or absent plays the flipbook only. */
  playlist?: string | null;
  /** A placeholder was clicked: open that frame's log. */
  onOpenFrame?: (frame: MoviePlayerFrame) => void;
  /** Plays the per-frame images even where HLS could play (also what happens when it cannot). */
  flipbookOnly?: boolean;
  title?: string;
}

const SPEEDS = [0.25, 0.5, 1, 2] as const;
const PLACEHOLDER_TEXT: Partial<Record<FrameState, string>> = {
  WAITING: 'waiting',
  DEPEND: 'waiting on a depend',
  SETUP: 'starting',
  RUNNING: 'rendering',
  DEAD: 'dead',
  EATEN: 'eaten',
};

/** What a frame shows: the movie, its image, or a placeholder. */
function frameView(frame: MoviePlayerFrame | undefined, inMovie: boolean): 'video' | 'image' | 'placeholder' {
  if (!frame?.image) return 'placeholder';
  return inMovie ? 'video' : 'image';
}

export function MoviePlayer({ frames, fps, playlist, onOpenFrame, flipbookOnly, title }: MoviePlayerProps) {
  const video = useRef<HTMLVideoElement>(null);
  const hls = useRef<Hls | null>(null);
  const [index, setIndex] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [loop, setLoop] = useState(true);
  const [speed, setSpeed] = useState(1);
  /** Frames the HLS movie covers from the start (its playlist's segments), 0 without HLS. */
  const [movieFrames, setMovieFrames] = useState(0);
  const [hlsNote, setHlsNote] = useState<string | null>(null);
  const count = frames.length;
  const frame = frames[Math.min(index, count - 1)];
  const inMovie = index < movieFrames;
  const view = frameView(frame, inMovie);
  const indexRef = useRef(index);
  indexRef.current = index;

  // hls.js on the playlist; where it cannot run (no MSE) and the browser plays HLS itself, native; else the flipbook.
  useEffect(() => {
    const el = video.current;
    if (!el || !playlist || flipbookOnly) {
      setMovieFrames(0);
      return;
    }
    let cancelled = false;
    void import('hls.js').then(({ default: HlsClass }) => {
      if (cancelled) return;
      if (!HlsClass.isSupported()) {
        setHlsNote('this browser cannot play HLS here: showing the frames as a flipbook');
        return;
      }
      const h = new HlsClass({ startPosition: 0, liveDurationInfinity: false, lowLatencyMode: false, enableWorker: false });
      hls.current = h;
      h.on(HlsClass.Events.LEVEL_LOADED, (_e, data) => {
        setMovieFrames(Math.min(count, Math.round(data.details.totalduration * fps)));
      });
      h.on(HlsClass.Events.ERROR, (_e, data) => {
        if (!data.fatal) return;
        setHlsNote(`the movie cannot play (${data.details}): showing the frames as a flipbook`);
        setMovieFrames(0);
        h.destroy();
        hls.current = null;
      });
      h.loadSource(playlist);
      h.attachMedia(el);
    });
    return () => {
      cancelled = true;
      hls.current?.destroy();
      hls.current = null;
    };
  }, [playlist, flipbookOnly, fps, count]);

  /** Shows frame `i` (clamped), seeking the movie to the middle of that frame so rounding never lands on a neighbour. */
  const show = useCallback(
    (i: number) => {
      const next = Math.max(0, Math.min(count - 1, i));
      setIndex(next);
      const el = video.current;
      if (el && next < movieFrames && el.paused) el.currentTime = (next + 0.5) / fps;
    },
    [count, movieFrames, fps],
  );

  // The movie grew (or appeared) under a paused frame it now covers: show that frame from it.
  useEffect(() => {
    const el = video.current;
    if (el && indexRef.current < movieFrames && el.paused) el.currentTime = (indexRef.current + 0.5) / fps;
  }, [movieFrames, fps]);

  // Playback: the movie plays itself where it covers the frames; elsewhere a clock steps the flipbook.
  useEffect(() => {
    if (!playing) {
      video.current?.pause();
      return;
    }
    let raf = 0;
    let last = performance.now();
    let carry = 0;
    // The video stops short of its end (a live EVENT playlist has no end of stream, and the
    // browser holds the last frames back waiting for more): when its time stops moving, the clock
    // takes over, seeking the paused video frame by frame, until the next loop.
    let clock = false;
    let videoTime = -1;
    let movedAt = last;
    const el = video.current;
    const stallMs = Math.max(300, 4000 / fps);
    const tick = (now: number) => {
      const i = indexRef.current;
      if (!clock && el && i < movieFrames && frames[i]?.image) {
        if (el.paused) {
          el.currentTime = (i + 0.5) / fps;
          el.playbackRate = speed;
          void el.play().catch(() => undefined);
          movedAt = now;
        }
        if (el.currentTime !== videoTime) {
          videoTime = el.currentTime;
          movedAt = now;
        }
        const at = Math.floor(el.currentTime * fps + 0.01);
        if (at >= movieFrames - 1 && movieFrames < count) {
          el.pause();
          setIndex(movieFrames);
        } else if (at >= count - 1 || el.ended) {
          el.pause();
          if (loop) show(0);
          else setPlaying(false);
        } else if (now - movedAt > stallMs) {
          el.pause();
          clock = true;
        } else if (at !== i) setIndex(at);
        last = now;
      } else {
        if (el && !el.paused) el.pause();
        carry += ((now - last) / 1000) * fps * speed;
        last = now;
        const steps = Math.floor(carry);
        if (steps > 0) {
          carry -= steps;
          const next = i + steps;
          if (next >= count) {
            if (loop) {
              clock = false;
              show(0);
            } else {
              setIndex(count - 1);
              setPlaying(false);
            }
          } else show(next);
        }
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, movieFrames, frames, fps, speed, loop, count, show]);

  useEffect(() => {
    if (video.current) video.current.playbackRate = speed;
  }, [speed]);

  // Images of the next frames are fetched ahead, so the flipbook does not wait on the network.
  useEffect(() => {
    for (let k = 1; k <= 8; k++) {
      const src = frames[index + k]?.image;
      if (src && !(index + k < movieFrames)) new Image().src = src;
    }
  }, [index, frames, movieFrames]);

  const step = (delta: number) => {
    setPlaying(false);
    video.current?.pause();
    show(indexRef.current + delta);
  };

  // Keys reach the player from its focused controls; the scrub bar steps by itself.
  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT' && (e.target as HTMLInputElement).type === 'range') return;
    if (e.key === 'ArrowRight') step(1);
    else if (e.key === 'ArrowLeft') step(-1);
    else if (e.key === ' ') setPlaying((p) => !p);
    else if (e.key === 'Home') step(-count);
    else if (e.key === 'End') step(count);
    else return;
    e.preventDefault();
  };

  if (count === 0) return <div className="muted">This layer has no frames.</div>;
  const flag = frame && (frame.status === 'BLACK' || frame.status === 'MISSING' || frame.status === 'ERROR') ? frame.status : null;

  return (
    <section
      aria-label={title ? `Movie of ${title}` : 'Movie'}
      data-testid="movie-player"
      data-frame={frame?.number}
      data-index={index}
      data-view={view}
      data-movie-frames={movieFrames}
      onKeyDown={onKey}
      style={{ display: 'flex', flexDirection: 'column', gap: 6, outline: 'none' }}
    >
      <div style={{ position: 'relative', background: '#000', aspectRatio: '16 / 9', width: '100%', overflow: 'hidden' }}>
        <video
          ref={video}
          data-testid="movie-video"
          muted
          playsInline
          style={{
            position: 'absolute',
            inset: 0,
            width: '100%',
            height: '100%',
            objectFit: 'contain',
            visibility: view === 'video' ? 'visible' : 'hidden',
          }}
        />
        {view === 'image' && frame?.image && (
          <img
            data-testid="movie-image"
            src={frame.image}
            alt={`frame ${frame.number}`}
            style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', objectFit: 'contain' }}
          />
        )}
        {view === 'placeholder' && frame && (
          <button
            type="button"
            data-testid="movie-placeholder"
            data-state={frame.state}
            onClick={() => onOpenFrame?.(frame)}
            title="Open this frame's log"
            style={{
              position: 'absolute',
              inset: 0,
              width: '100%',
              height: '100%',
              display: 'flex',
              flexDirection: 'column',
              alignItems: 'center',
              justifyContent: 'center',
              gap: 6,
              background: '#161b22',
              color: '#c9d1d9',
              border: `2px dashed ${stateColor(frame.state)}`,
              cursor: onOpenFrame ? 'pointer' : 'default',
            }}
          >
            <strong style={{ color: stateColor(frame.state) }}>
              frame {frame.number} ·{' '}
              {PLACEHOLDER_TEXT[frame.state] ?? (frame.status === 'PENDING' ? 'preview not made yet' : frame.status.toLowerCase())}
            </strong>
            {frame.reason && <span>{frame.reason}</span>}
            {onOpenFrame && <span style={{ fontSize: 12, opacity: 0.8 }}>click to open its log</span>}
          </button>
        )}
        <div
          data-testid="movie-overlay"
          style={{
            position: 'absolute',
            left: 8,
            top: 8,
            padding: '2px 6px',
            background: '#000a',
            color: '#fff',
            font: '12px ui-monospace, monospace',
            pointerEvents: 'none',
          }}
        >
          frame <span data-testid="movie-frame-number">{frame?.number}</span> · {index + 1}/{count}
          {flag && (
            <span data-testid="movie-flag" style={{ marginLeft: 8, color: '#f85149', fontWeight: 700 }} title={frame?.reason ?? ''}>
              {flag}
            </span>
          )}
        </div>
      </div>
      <input
        type="range"
        aria-label="Scrub through the frames"
        data-testid="movie-scrub"
        min={0}
        max={count - 1}
        step={1}
        value={index}
        onChange={(e) => {
          setPlaying(false);
          video.current?.pause();
          show(Number(e.target.value));
        }}
        style={{ width: '100%' }}
      />
      <div className="toolbar" style={{ display: 'flex', gap: 6, alignItems: 'center', flexWrap: 'wrap' }}>
        <button type="button" data-testid="movie-prev" onClick={() => step(-1)} aria-label="Previous frame">
          ←
        </button>
        <button type="button" data-testid="movie-play" onClick={() => setPlaying((p) => !p)} aria-label={playing ? 'Pause' : 'Play'}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" data-testid="movie-next" onClick={() => step(1)} aria-label="Next frame">
          →
        </button>
        <label>
          <input type="checkbox" data-testid="movie-loop" checked={loop} onChange={(e) => setLoop(e.target.checked)} /> loop
        </label>
        <label>
          speed{' '}
          <select data-testid="movie-speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <span className="muted" data-testid="movie-source" style={{ fontSize: 12 }}>
          {movieFrames > 0 ? `HLS: ${movieFrames} of ${count} frames encoded; the rest from images` : 'flipbook of frame images'}
          {hlsNote ? ` · ${hlsNote}` : ''}
        </span>
      </div>
    </section>
  );
}
