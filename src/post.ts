/**
 * The post step as a module of its own that exports `run()`, the shape
 * GitHub's local runner for actions (`local-action --post`) loads.
 */
export { post as run } from './main.js'
