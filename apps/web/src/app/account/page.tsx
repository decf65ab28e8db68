import { AccountPage } from '../../components/auth/AccountPage';

export default function Page() {
  return <AccountPage />;
}
