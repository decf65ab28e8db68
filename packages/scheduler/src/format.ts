/** How quantities read in reasons: "2,000 cores", "48 GB", "1 GPU", "'lax.general' or 'lax.gpu'". */

/** "2,000", "0.5": thousands separators, at most two decimals (Intl is too slow for a million reasons). */
function number(n: number): string {
  const rounded = Math.round(n * 100) / 100;
  const [whole = '', fraction] = String(Math.abs(rounded)).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${rounded < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

export function cores(units: number): string {
  const n = units / 100;
  return `${number(n)} ${n === 1 ? 'core' : 'cores'}`;
}

export function memory(mb: number): string {
  if (mb < 1024) return `${number(mb)} MB`;
  return `${number(Math.round((mb / 1024) * 10) / 10)} GB`;
}

export function gpus(n: number): string {
  return `${number(n)} ${n === 1 ? 'GPU' : 'GPUs'}`;
}

export function hosts(n: number): string {
  return `${number(n)} ${n === 1 ? 'host' : 'hosts'}`;
}

export function either(names: readonly string[]): string {
  const quoted = [...new Set(names)].map((n) => `'${n}'`);
  if (quoted.length <= 1) return quoted[0] ?? '';
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

export function both(names: readonly string[]): string {
  const quoted = [...new Set(names)].map((n) => `'${n}'`);
  if (quoted.length <= 1) return quoted[0] ?? '';
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}

export function count(n: number): string {
  return number(n);
}
