import { FarmPage } from '../../components/farm/FarmPage';

export default function Page() {
  return <FarmPage />;
}
