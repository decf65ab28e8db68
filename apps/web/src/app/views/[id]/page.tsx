import { ComposedPage } from '../../../components/views/ComposedPage';

/** `/views/<id>`: a composed page, the viewer's own or one shared with them by its address. */
export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ComposedPage id={decodeURIComponent(id)} />;
}
