import { JobPage } from '../../../components/job/JobPage';

/** `/jobs/<id>?frame=<frameId>&attempt=<n>&line=<n>` opens that frame's log at that line. */
export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { id } = await params;
  const query = await searchParams;
  const frame = Number(query.frame);
  return <JobPage id={decodeURIComponent(id)} initialFrame={Number.isInteger(frame) && frame > 0 ? frame : undefined} />;
}
