// jest globalSetup of the cluster run: one local Redis Cluster for every test
// file; the workers find it in TEST_REDIS_CLUSTER_NODES (tests/helpers/env.ts).
import { startLocalCluster, type LocalCluster } from './redisCluster';

const holder = globalThis as { localCluster?: LocalCluster };

export default async function setup(): Promise<void> {
  const cluster = await startLocalCluster();
  holder.localCluster = cluster;
  process.env.TEST_REDIS_CLUSTER_NODES = cluster.nodes;
  console.log(`\nRedis Cluster for this run: ${cluster.nodes}`);
}

export async function teardown(): Promise<void> {
  await holder.localCluster?.stop();
}
