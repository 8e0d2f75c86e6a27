"""CloudFormation: the stacks' references and exports, and the bootstrap stack's resources."""
