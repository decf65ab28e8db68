'use client';
/**
 * Core-hours per show per day as a uPlot chart: one line per show, days along the bottom. uPlot
 * draws on a canvas, so it is created once mounted and rebuilt when the data or width changes.
 */
import { useFarmTheme } from '@farmhand/ui';
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UsageSeries } from '../../server/services/production';

const PALETTE = ['#58a6ff', '#3fb950', '#e3b341', '#f85149', '#a371f7', '#39c5bb', '#db6d28', '#ff7b72', '#79c0ff', '#d2a8ff'];

export function CoreHoursChart({ usage, height = 220 }: { usage: UsageSeries; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const theme = useFarmTheme();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: uPlot | null = null;
    let cancelled = false;
    const axisColor = theme === 'light' ? '#59636e' : '#8b949e';
    const gridColor = theme === 'light' ? '#d0d7de' : '#30363d';
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const xs = usage.days.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000);
      const opts: uPlot.Options = {
        width: el.clientWidth || 600,
        height,
        scales: { x: { time: true } },
        axes: [
          { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor } },
          { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor }, label: 'core-hours', size: 60 },
        ],
        series: [
          { label: 'day', value: (_u, v) => (v ? new Date(v * 1000).toISOString().slice(0, 10) : '') },
          ...usage.shows.map((s, i) => ({
            label: s.show,
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            points: { show: true, size: 5 },
            value: (_u: uPlot, v: number | null) => (v === null ? '' : `${v.toFixed(1)} h`),
          })),
        ],
      };
      chart = new UPlot(opts, [xs, ...usage.shows.map((s) => s.coreHours)], el);
    });
    const resize = new ResizeObserver(() => chart?.setSize({ width: el.clientWidth, height }));
    resize.observe(el);
    return () => {
      cancelled = true;
      resize.disconnect();
      chart?.destroy();
    };
  }, [usage, height, theme]);
  return <div ref={box} data-testid="core-hours-chart" className="fh-chart" style={{ width: '100%', minHeight: height }} />;
}
