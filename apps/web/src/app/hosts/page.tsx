import { HostsPage } from '../../components/hosts/HostsPage';

/** `/hosts?host=<name>` shows the hosts matching that name (a host.down notification links here). */
export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { host } = await searchParams;
  return <HostsPage focus={typeof host === 'string' && host ? host : undefined} />;
}
