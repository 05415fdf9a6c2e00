/** Action entry: the main step, or the post step after it. */
import { isPostStep } from './inputs.js'
import { post, run } from './main.js'

await (isPostStep() ? post() : run())
