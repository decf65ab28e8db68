/**
 * The rows of the event outbox and what it fans out to, as the group commit writes them: farm
 * events (ids left to the database: commits are serial on the dispatcher's one connection, so
 * ids grow in commit order), notifications, webhook deliveries and each try's outcome.
 */
import type { Table } from '../persist/sql';

export const FARM_EVENT: Table = {
  name: 'FarmEvent',
  keyColumns: 0,
  columns: [
    ['kind', 'text'],
    ['showId', 'text'],
    ['jobId', 'text'],
    ['user', 'text'],
    ['payload', 'text'],
    ['createdAt', 'time'],
  ],
};

export const NOTIFICATION: Table = {
  name: 'Notification',
  keyColumns: 0,
  columns: [
    ['user', 'text'],
    ['eventId', 'int'],
    ['kind', 'text'],
    ['title', 'text'],
    ['body', 'text'],
    ['link', 'text'],
    ['createdAt', 'time'],
  ],
};

export const WEBHOOK_DELIVERY: Table = {
  name: 'WebhookDelivery',
  keyColumns: 0,
  columns: [
    ['webhookId', 'text'],
    ['eventId', 'int'],
    ['status', 'text'],
    ['tries', 'int'],
    ['nextTryAt', 'time'],
    ['createdAt', 'time'],
  ],
};

/** A delivery after a try: its status, the count of tries, the last answer and the log of failed tries. */
export const WEBHOOK_TRY: Table = {
  name: 'WebhookDelivery',
  keyColumns: 1,
  columns: [
    ['id', 'int'],
    ['status', 'text'],
    ['tries', 'int'],
    ['responseStatus', 'int'],
    ['error', 'text'],
    ['nextTryAt', 'time'],
    ['deliveredAt', 'time'],
  ],
};
