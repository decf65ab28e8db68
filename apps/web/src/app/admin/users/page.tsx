import { AdminUsersPage } from '../../../components/auth/AdminUsersPage';

export default function Page() {
  return <AdminUsersPage />;
}
