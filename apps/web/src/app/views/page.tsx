import { PagesList } from '../../components/views/PagesList';

export default function Page() {
  return <PagesList />;
}
