/**
 * Reading shows: the submit form's show select and the jobs filter.
 */
import type { Database } from '../db';

export interface ShowRow {
  id: string;
  name: string;
  active: boolean;
}

export async function listShows(db: Database): Promise<ShowRow[]> {
  const shows = await db.prisma.show.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true, active: true } });
  return shows;
}
