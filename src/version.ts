// The version reported by /status, read from package.json so there is one place to bump it.
import packageJson from '../package.json'

export const version: string = packageJson.version
