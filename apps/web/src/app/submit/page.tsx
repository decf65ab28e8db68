import { SubmitPage } from '../../components/submit/SubmitPage';

export default function Page() {
  return <SubmitPage />;
}
