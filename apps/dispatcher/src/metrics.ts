/**
 * Prometheus metrics of the dispatcher, served at /metrics. Gauges that describe the farm
 * (frames by state, hosts by state) are read from memory when scraped.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'farmhand_dispatcher_' });
  return {
    registry,
    passSeconds: new Histogram({
      name: 'farmhand_schedule_pass_seconds',
      help: 'Time of one scheduling pass',
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    bookings: new Counter({
      name: 'farmhand_bookings_total',
      help: 'Frames booked on hosts (rate() of it: bookings per second)',
      registers: [registry],
    }),
    dispatchSeconds: new Histogram({
      name: 'farmhand_dispatch_latency_seconds',
      help: 'From a frame bookable to its launch sent to the host. cause=ready: the frame became ready (submitted, retried, released) with room for it; cause=freed: it waited for a core, counted from when one was freed',
      labelNames: ['cause'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    bookingSeconds: new Histogram({
      name: 'farmhand_booking_latency_seconds',
      help: 'From a frame bookable to its booking by a pass (the rest of dispatch latency is the commit)',
      labelNames: ['cause'],
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    commitSeconds: new Histogram({
      name: 'farmhand_commit_seconds',
      help: 'Time of one group commit',
      buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 5],
      registers: [registry],
    }),
    schedulerRebuilds: new Counter({
      name: 'farmhand_scheduler_rebuilds_total',
      help: "Times the scheduler's index was rebuilt from memory",
      registers: [registry],
    }),
    rqdEvents: new Counter({
      name: 'farmhand_rqd_events_total',
      help: 'Frame events from hosts, by event',
      labelNames: ['event'],
      registers: [registry],
    }),
    hostReports: new Counter({ name: 'farmhand_host_reports_total', help: 'Reports received from hosts', registers: [registry] }),
    rowsWritten: new Counter({ name: 'farmhand_db_rows_written_total', help: 'Rows written by group commits', registers: [registry] }),
    launches: new Counter({ name: 'farmhand_launches_total', help: 'Launches sent to hosts', registers: [registry] }),
    framesFinished: new Counter({
      name: 'farmhand_frames_finished_total',
      help: 'Frame processes that ended, by the state the frame went to',
      labelNames: ['state'],
      registers: [registry],
    }),
    commandSeconds: new Histogram({
      name: 'farmhand_command_seconds',
      help: 'From a command stored to its outcome recorded',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    }),
    framesByState: new Gauge({
      name: 'farmhand_frames',
      help: 'Frames of unfinished jobs by state',
      labelNames: ['state'],
      registers: [registry],
    }),
    hostsByState: new Gauge({ name: 'farmhand_hosts', help: 'Hosts by state', labelNames: ['state'], registers: [registry] }),
  };
}

export type DispatcherMetrics = ReturnType<typeof createMetrics>;
