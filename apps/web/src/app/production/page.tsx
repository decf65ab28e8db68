import { ProductionPage } from '../../components/production/ProductionPage';

export default function Page() {
  return <ProductionPage />;
}
