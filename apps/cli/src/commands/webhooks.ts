/**
 * `farmhand webhooks …` and `farmhand notifications`: add, list, test, read the delivery log
 * of and delete your webhooks; read your notifications and mark them read.
 */
import { FARM_EVENT_KINDS, type FarmEventKind } from '@farmhand/contracts';
import type { Cli } from '../context';
import { CliError, EXIT } from '../exitCodes';
import { table } from '../table';

export async function listWebhooks(cli: Cli): Promise<number> {
  const rows = await cli.client.webhooks();
  if (cli.json) cli.out(JSON.stringify(rows));
  else
    cli.out(
      table(
        ['ID', 'URL', 'FOR', 'EVENTS'],
        rows.map((w) => [w.id, w.url, w.show ? `show ${w.show}` : 'my jobs', w.events.join(',')]),
      ),
    );
  return EXIT.OK;
}

export async function addWebhook(cli: Cli, url: string, o: { events?: string; show?: string; secret?: string }): Promise<number> {
  const events = (o.events ?? 'job.finished,job.dead_frames').split(',').map((e) => e.trim());
  const unknown = events.filter((e) => !(FARM_EVENT_KINDS as readonly string[]).includes(e));
  if (unknown.length > 0)
    throw new CliError(`--events: '${unknown.join("', '")}' is not one of ${FARM_EVENT_KINDS.join(', ')}`, EXIT.INVALID);
  const hook = await cli.client.addWebhook({
    url,
    events: events as FarmEventKind[],
    ...(o.show ? { show: o.show } : {}),
    ...(o.secret ? { secret: o.secret } : {}),
  });
  if (cli.json) cli.out(JSON.stringify(hook));
  else {
    cli.out(`webhook ${hook.id} added for ${hook.show ? `every job of show ${hook.show}` : 'your jobs'}: ${hook.events.join(', ')}`);
    cli.out(`secret (shown once; verify the farmhand-signature header with it): ${hook.secret}`);
  }
  return EXIT.OK;
}

export async function deleteWebhook(cli: Cli, id: string): Promise<number> {
  const answer = await cli.client.deleteWebhook(id);
  cli.out(cli.json ? JSON.stringify(answer) : `webhook ${id} deleted`);
  return EXIT.OK;
}

export async function testWebhook(cli: Cli, id: string): Promise<number> {
  const answer = await cli.client.testWebhook(id);
  cli.out(
    cli.json
      ? JSON.stringify(answer)
      : `test event ${answer.eventId} sent as delivery ${answer.deliveryId}; see: farmhand webhooks deliveries ${id}`,
  );
  return EXIT.OK;
}

export async function webhookDeliveries(cli: Cli, id: string, o: { limit?: string }): Promise<number> {
  const rows = await cli.client.webhookDeliveries(id, Number(o.limit ?? 50));
  if (cli.json) cli.out(JSON.stringify(rows));
  else
    cli.out(
      table(
        ['DELIVERY', 'EVENT', 'KIND', 'STATUS', 'TRIES', 'HTTP', 'WHEN', 'LAST FAILURE'],
        rows.map((d) => [
          d.id,
          d.eventId,
          d.kind,
          d.status,
          d.tries,
          d.responseStatus,
          d.deliveredAt ?? (d.status === 'PENDING' ? `next ${d.nextTryAt}` : d.nextTryAt),
          d.log?.split('\n').at(-1) ?? null,
        ]),
      ),
    );
  return EXIT.OK;
}

export async function notifications(cli: Cli, o: { unread?: boolean; read?: boolean; limit?: string }): Promise<number> {
  if (o.read) {
    const answer = await cli.client.markNotificationsRead();
    cli.out(cli.json ? JSON.stringify(answer) : `${answer.marked} marked read`);
    return EXIT.OK;
  }
  const list = await cli.client.notifications({ unread: o.unread === true, limit: Number(o.limit ?? 50) });
  if (cli.json) cli.out(JSON.stringify(list));
  else {
    cli.out(`${list.unread} unread`);
    if (list.items.length > 0)
      cli.out(
        table(
          ['ID', 'WHEN', 'KIND', '', 'TITLE', 'LINK'],
          list.items.map((n) => [n.id, n.createdAt, n.kind, n.readAt ? '' : '*', n.title, n.link]),
        ),
      );
  }
  return EXIT.OK;
}
