import { WebhooksPage } from '../../components/settings/WebhooksPage';

/** `/settings`: the user's webhooks (and, as it grows, other per-user settings). */
export default function Page() {
  return <WebhooksPage />;
}
