// Writes deploy-gates.schema.json from the zod schema (npm run schema).
import { writeFileSync } from 'node:fs'
import { configJsonSchemaText } from '../src/config/json-schema.js'

writeFileSync('deploy-gates.schema.json', configJsonSchemaText())
console.log('wrote deploy-gates.schema.json')
