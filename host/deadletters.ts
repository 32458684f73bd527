// Operations on a running (or stopped) app's runtime state, from the command line:
//   node host/bin.mjs dead-letters [--subscription NAME]           list dead letters (JSON lines)
//   node host/bin.mjs dead-letters --redrive ID --subscription NAME deliver one again
// They use the same configuration as `npm start` (DATABASE_URL, WARROOM_DB_PREFIX, WARROOM_DATA_DIR).
import { loadConfig } from "./runtime/config.ts";
import { Databases } from "./runtime/databases.ts";
import { Logger, LogLevel } from "./runtime/log.ts";
import { PubSub } from "./pubsub/index.ts";
import { subscriptionConfig } from "./runtime/pubsub.ts";

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

export async function deadLetters(root: string, args: string[]): Promise<number> {
  process.env.WARROOM_APP_ROOT = root;
  const config = loadConfig();
  const log = new Logger(LogLevel.Warn);
  const dbs = new Databases(config, log, (s) => s, false);
  try {
    const engine = new PubSub({ sql: await dbs.runtimeSql(), log });
    await engine.init();
    for (const t of config.meta.topics) engine.registerTopic(t.name, t.orderingAttribute);
    for (const s of config.meta.subscriptions) engine.registerSubscription(subscriptionConfig(s, config.meta));
    const subscription = flag(args, "--subscription");
    const redrive = flag(args, "--redrive");
    if (redrive) {
      if (!subscription) {
        process.stderr.write("--redrive needs --subscription\n");
        return 2;
      }
      await engine.redriveDeadLetter(redrive, subscription);
      process.stdout.write(`redriven: message ${redrive} on ${subscription}\n`);
      return 0;
    }
    for (const d of await engine.deadLetters(subscription)) process.stdout.write(`${JSON.stringify(d)}\n`);
    return 0;
  } finally {
    await dbs.close();
  }
}
