import { ShowSettingsPage } from '../../../components/logRules/ShowSettingsPage';

/** `/shows/<name>`: the show's settings (its error patterns). */
export default async function Page({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  return <ShowSettingsPage show={decodeURIComponent(name)} />;
}
