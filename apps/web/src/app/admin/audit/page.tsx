import { AuditPage } from '../../../components/auth/AuditPage';

export default function Page() {
  return <AuditPage />;
}
