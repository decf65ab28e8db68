import { SignInPage } from '../../components/auth/SignInPage';

export default function Page() {
  return <SignInPage />;
}
