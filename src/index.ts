/** Action entry: the main step, or the post step after it. */
import { keepYoungGenerationSmall } from './app/heap.js'
import { isPostStep } from './inputs.js'
import { post, run } from './main.js'

keepYoungGenerationSmall()

await (isPostStep() ? post() : run())
