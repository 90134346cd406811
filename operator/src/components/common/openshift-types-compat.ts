// Compile-time check: the local OpenShift shapes the builders write are assignable to the types generated from
// the test cluster's stand-in CRDs (operator/src/openshift). ImageStream is left out on purpose: its tag
// `importPolicy.insecure` must also hold the `${{IMAGESTREAM_TAG_IMPORT_INSECURE}}` template placeholder.
import type { DeploymentConfig as GeneratedDeploymentConfig, Route as GeneratedRoute } from '../../openshift/index.js';
import type { DeploymentConfig, Route } from './openshift-types.js';

type Assignable<From, To> = From extends To ? true : never;

export const deploymentConfigMatchesGenerated: Assignable<DeploymentConfig, GeneratedDeploymentConfig> = true;
export const routeMatchesGenerated: Assignable<Route, GeneratedRoute> = true;
