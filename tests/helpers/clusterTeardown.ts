// jest globalTeardown of the cluster run: stops the cluster clusterSetup started.
export { teardown as default } from './clusterSetup';
