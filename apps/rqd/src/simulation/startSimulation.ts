/**
 * `--simulate N`: N virtual hosts in one process, each a full rqd — its own socket, register,
 * reports, outbox and spool — with simulated frames instead of processes, so load tests and
 * demos exercise exactly the protocol code real hosts use.
 */
import pino from 'pino';
import type { HostResources } from '../hostResources';
import type { RqdOptions, SimulationOptions } from '../options';
import { type Rqd, startRqd } from '../rqd';
import { simulatedRunner } from './simulatedRunner';

export interface Simulation {
  readonly hosts: Rqd[];
  stop(): Promise<void>;
}

export function startSimulation(options: RqdOptions, simulation: SimulationOptions): Simulation {
  const logger = pino({ name: 'rqd-sim', level: options.logLevel }, pino.destination(2));
  const resources: HostResources = {
    cores: simulation.cores,
    physicalCores: simulation.cores,
    memoryMb: simulation.memoryMb,
    swapMb: 0,
    gpus: 0,
    gpuMemoryMb: 0,
    os: 'simulated',
  };
  const width = String(simulation.hosts).length;
  const hosts: Rqd[] = [];
  for (let i = 1; i <= simulation.hosts; i++) {
    const hostName = `${options.hostName}-sim-${String(i).padStart(width, '0')}`;
    const rqd: Rqd = startRqd(
      { ...options, hostName, resources },
      {
        logger,
        resources,
        startFrame: simulatedRunner(simulation, options.memoryKillFactor),
        sampleLoad: () => {
          const booked = rqd.host.bookings();
          const rss = rqd.host.runningFrames().reduce((sum, f) => sum + f.rssMb, 0);
          return { load: booked.cores, freeMemoryMb: Math.max(0, resources.memoryMb - rss), freeTempMb: 100_000 };
        },
      },
    );
    hosts.push(rqd);
  }
  return {
    hosts,
    async stop() {
      await Promise.all(hosts.map((host) => host.stop()));
    },
  };
}
