import { JobsPage } from '../components/jobs/JobsPage';

export default function Page() {
  return <JobsPage />;
}
