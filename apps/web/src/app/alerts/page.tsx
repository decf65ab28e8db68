import { AlertRulesPage } from '../../components/logRules/AlertRulesPage';

/** `/alerts`: the signed-in user's log alert rules. */
export default function Page() {
  return <AlertRulesPage />;
}
