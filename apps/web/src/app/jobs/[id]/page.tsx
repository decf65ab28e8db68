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
  const positive = (v: unknown) => {
    const n = Number(v);
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  return (
    <JobPage
      id={decodeURIComponent(id)}
      initialFrame={positive(query.frame)}
      link={{ attempt: positive(query.attempt), line: positive(query.line) }}
    />
  );
}
