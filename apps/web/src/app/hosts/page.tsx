import { HostsPage } from '../../components/hosts/HostsPage';

export default function Page() {
  return <HostsPage />;
}
