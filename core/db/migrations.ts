// Schema migrations, listed in code so they run the same from sources and dist/.
import type { Knex } from 'knex';

interface Migration {
  name: string;
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

const migrations: Migration[] = [
  {
    name: '001_promotions_and_coupons',
    async up(db) {
      await db.schema.createTable('promotions', (t) => {
        t.bigIncrements('id').primary();
        t.string('name', 200).notNullable();
        t.integer('total_stock').unsigned().notNullable();
        t.string('state', 16).notNullable().defaultTo('OPEN'); // OPEN, PAUSED, CLOSED, DELETED
        t.integer('batch_size').unsigned().notNullable();
        t.integer('interval_ms').unsigned().notNullable();
        t.timestamp('starts_at', { useTz: false, precision: 3 }).nullable();
        t.timestamp('ends_at', { useTz: false, precision: 3 }).nullable();
        t.integer('version').unsigned().notNullable().defaultTo(1); // optimistic updates
        t.timestamp('created_at', { precision: 3 }).notNullable(); // set by the app: one clock for every dialect
        t.timestamp('updated_at', { precision: 3 }).notNullable(); // set by the app: one clock for every dialect
      });
      await db.schema.createTable('coupons', (t) => {
        t.bigIncrements('id').primary();
        t.bigInteger('promotion_id').unsigned().notNullable().references('promotions.id');
        t.string('user_id', 64).notNullable();
        t.bigInteger('ticket').unsigned().notNullable();
        t.string('code', 64).notNullable().unique();
        t.string('state', 16).notNullable().defaultTo('ISSUED'); // ISSUED, USED, CANCELLED, REVOKED
        t.timestamp('issued_at', { precision: 3 }).notNullable();
        t.timestamp('used_at', { precision: 3 }).nullable();
        t.timestamp('cancelled_at', { precision: 3 }).nullable();
        t.timestamp('revoked_at', { precision: 3 }).nullable();
        t.unique(['promotion_id', 'user_id']);
        t.index(['promotion_id', 'state']);
      });
    },
    async down(db) {
      await db.schema.dropTable('coupons');
      await db.schema.dropTable('promotions');
    },
  },
  {
    name: '002_promotion_hold_mode',
    async up(db) {
      await db.schema.alterTable('promotions', (t) => {
        t.string('mode', 16).notNullable().defaultTo('instant'); // instant, hold
        t.integer('hold_seconds').unsigned().notNullable().defaultTo(0);
      });
    },
    async down(db) {
      await db.schema.alterTable('promotions', (t) => {
        t.dropColumn('mode');
        t.dropColumn('hold_seconds');
      });
    },
  },
  {
    // The transactional outbox (events written in the change's own transaction),
    // webhook registrations, per-promotion coupon counters kept at write time (the
    // ledger's counts without COUNT(*)), and an index for keyset pages of coupons.
    name: '003_events_and_webhooks',
    async up(db) {
      await db.schema.createTable('events', (t) => {
        t.bigIncrements('seq').primary(); // relay order
        t.string('event_id', 160).notNullable().unique(); // stable: consumers dedupe on it
        t.string('type', 32).notNullable();
        t.bigInteger('promotion_id').unsigned().notNullable();
        t.timestamp('occurred_at', { precision: 3 }).notNullable();
        t.text('data').notNullable(); // JSON
        t.timestamp('relayed_at', { precision: 3 }).nullable();
        t.index(['relayed_at', 'seq']);
      });
      await db.schema.createTable('webhooks', (t) => {
        t.bigIncrements('id').primary();
        t.string('url', 2000).notNullable();
        t.text('events').notNullable(); // JSON array of event types
        t.string('secret', 100).notNullable();
        t.timestamp('created_at', { precision: 3 }).notNullable();
      });
      await db.schema.alterTable('promotions', (t) => {
        t.integer('coupons_issued').unsigned().notNullable().defaultTo(0);
        t.integer('coupons_used').unsigned().notNullable().defaultTo(0);
        t.integer('coupons_cancelled').unsigned().notNullable().defaultTo(0);
        t.integer('coupons_revoked').unsigned().notNullable().defaultTo(0);
      });
      const count = (state?: string) =>
        db.raw(
          `(SELECT COUNT(*) FROM coupons c WHERE c.promotion_id = promotions.id${state ? ' AND c.state = ?' : ''})`,
          state ? [state] : [],
        );
      await db('promotions').update({
        coupons_issued: count(),
        coupons_used: count('USED'),
        coupons_cancelled: count('CANCELLED'),
        coupons_revoked: count('REVOKED'),
      });
      await db.schema.alterTable('coupons', (t) => {
        t.index(['promotion_id', 'id']);
      });
    },
    async down(db) {
      await db.schema.alterTable('coupons', (t) => {
        t.dropIndex(['promotion_id', 'id']);
      });
      await db.schema.alterTable('promotions', (t) => {
        for (const c of ['issued', 'used', 'cancelled', 'revoked']) t.dropColumn(`coupons_${c}`);
      });
      await db.schema.dropTable('webhooks');
      await db.schema.dropTable('events');
    },
  },
  {
    name: '004_fair_allocation',
    async up(db) {
      await db.schema.alterTable('promotions', (t) => {
        t.timestamp('prequeue_at', { useTz: false, precision: 3 }).nullable();
        t.string('queueing', 16).notNullable().defaultTo('fifo'); // fifo, random
        t.boolean('standby').notNullable().defaultTo(true);
      });
    },
    async down(db) {
      await db.schema.alterTable('promotions', (t) => {
        t.dropColumn('prequeue_at');
        t.dropColumn('queueing');
        t.dropColumn('standby');
      });
    },
  },
  {
    name: '005_join_challenge',
    async up(db) {
      await db.schema.alterTable('promotions', (t) => {
        t.string('challenge', 8).notNullable().defaultTo('none'); // none, pow
        t.integer('challenge_cost').unsigned().notNullable().defaultTo(250_000); // ALTCHA maxnumber
      });
    },
    async down(db) {
      await db.schema.alterTable('promotions', (t) => {
        t.dropColumn('challenge');
        t.dropColumn('challenge_cost');
      });
    },
  },
  {
    // What the shopper page shows: display only, never read by a decision.
    name: '006_promotion_page',
    async up(db) {
      await db.schema.alterTable('promotions', (t) => {
        t.text('description').nullable();
        t.text('redeem_url').nullable();
        t.string('redeem_note', 500).nullable();
        t.string('notice', 500).nullable();
      });
    },
    async down(db) {
      await db.schema.alterTable('promotions', (t) => {
        for (const c of ['description', 'redeem_url', 'redeem_note', 'notice']) t.dropColumn(c);
      });
    },
  },
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: () => Promise.resolve(migrations),
  getMigrationName: (migration) => migration.name,
  getMigration: (migration) => Promise.resolve(migration),
};
