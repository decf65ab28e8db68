/**
 * What operators read: /health, and Prometheus metrics at /metrics — frames by state, bookings,
 * dispatch latency, pass time, command latency, hosts by state, database writes.
 */
import { testProviders } from '@farmhand/db/testing';
import { describe, expect, it } from 'vitest';
import { spec } from '../src/testing';
import { registeredHost, startFreshFarm } from './freshFarm';

describe.each(testProviders())('operations on %s', (provider) => {
  it('says it is active at /health and counts frames, bookings, latencies, commands and hosts at /metrics', async () => {
    const farm = await startFreshFarm(provider);
    const host = await registeredHost(farm, 'scripted01', { cores: 4 });
    const jobId = await farm.submit(spec({}, { range: '1-3' }));
    const first = await host.nthLaunch(1);
    await host.nthLaunch(3);
    await host.started(first);
    await host.exited(first);
    await farm.waitForJob(jobId, (j) => j.counts.SUCCEEDED === 1);

    const health = await (await fetch(`${farm.dispatcher.url}/health`)).json();
    expect(health).toMatchObject({ status: 'ok', state: 'active', hostsUp: 1 });
    const text = await (await fetch(`${farm.dispatcher.url}/metrics`)).text();
    const value = (line: string) => Number(new RegExp(`^${line.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    expect(value('farmhand_frames{state="SETUP"}')).toBe(2);
    expect(value('farmhand_frames{state="SUCCEEDED"}')).toBe(1);
    expect(value('farmhand_hosts{state="UP"}')).toBe(1);
    expect(value('farmhand_bookings_total')).toBe(3);
    expect(value('farmhand_launches_total')).toBe(3);
    expect(value('farmhand_dispatch_latency_seconds_count{cause="ready"}')).toBe(3);
    expect(value('farmhand_schedule_pass_seconds_count')).toBeGreaterThan(0);
    expect(value('farmhand_command_seconds_count{kind="submit_job"}')).toBe(1);
    expect(value('farmhand_frames_finished_total{state="SUCCEEDED"}')).toBe(1);
    expect(value('farmhand_db_rows_written_total')).toBeGreaterThan(0);
    expect(value('farmhand_rqd_events_total{event="frame:exited"}')).toBe(1);
  });
});
