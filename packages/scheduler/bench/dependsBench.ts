/** Placeholder until the depend graph lands. */
export function benchDepends(_sample: () => void): { releaseUs: number; description: string } {
  return { releaseUs: 0, description: 'not measured yet' };
}
