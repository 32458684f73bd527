// monitoring's start-up work, run once when a process hosting the service loads it
// (encore.service.ts imports this file; every process that runs the service loads that file).
// Not under tests, which arrange their own data: the demo feed, unless disabled
// (monitoring/README.md, "Demo feed").
import log from "encore.dev/log";
import { startDemoFeed } from "./flows/demo";
import { demoFeedSetting, isTest } from "./secrets";

if (!isTest()) {
  const demo = demoFeedSetting();
  if (demo.enabled) startDemoFeed();
  else log.info(`demo feed off: ${demo.reason}`);
}
