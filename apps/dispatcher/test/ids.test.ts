import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '../src/ids';

describe('proc ids', () => {
  it('are RFC 9562 version 7 UUIDs carrying the time they were made', () => {
    const at = Date.UTC(2026, 11, 2, 13, 30);
    const id = timeOrderedUuid(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.replace('-', '').slice(0, 12), 16)).toBe(at);
  });

  it('sort by the time they were made, and never repeat', () => {
    const ids = [timeOrderedUuid(1_000), timeOrderedUuid(2_000), timeOrderedUuid(2_000 * 1_000_000)];
    expect([...ids].sort()).toEqual(ids);
    const many = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid(5_000)));
    expect(many.size).toBe(10_000);
  });
});
