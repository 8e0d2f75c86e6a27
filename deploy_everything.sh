#!/usr/bin/env bash
# Deploys the shop to one AWS account and region, stack by stack in dependency order, each
# taking what it needs from the exports of the stacks before it; or tears it all down.
# Run ./deploy_everything.sh --help for the options. Safe to re-run: an unchanged stack is
# left as it is. The pipelines' deploy stage runs it too, for one component (--only).
set -euo pipefail

# Runs on bash 3.2 (macOS) and later: no associative arrays, no `readonly NAME=(...)`, and an
# array that may be empty is expanded as ${name[@]+"${name[@]}"} (bash < 4.4 calls an empty
# "${name[@]}" unbound under `set -u`).
STACK_COMPONENTS=(bootstrap auth products orders partners vault api)
PIPELINE_COMPONENTS=(bootstrap auth products orders partners vault api web)
# Stacks holding the shop's data: a failed first create of one is left for a person to inspect.
DATA_STACKS=(bootstrap)
# Stacks of the account and region that no stage owns (samconfig.toml's environment has no stage).
ACCOUNT_STACKS=(apigateway-account)
readonly STACK_COMPONENTS PIPELINE_COMPONENTS DATA_STACKS ACCOUNT_STACKS
readonly APIGATEWAY_ACCOUNT_STACK=shop-apigateway-account
readonly PROG=deploy_everything.sh

usage() {
  cat <<'EOF'
Usage: ./deploy_everything.sh [options]

Deploys, in this order: API Gateway's CloudWatch role, one for the account and region
(stack shop-apigateway-account, shared by the stages), the SAM artifact bucket (stack
shop-<stage>-artifacts), bootstrap, auth, products, orders, partners (its image repository,
the image built with docker and pushed, then its stack with the image's digest), vault, api,
the web client's files (on a first deploy, bootstrap once more: its Content-Security-Policy
names the API, which did not exist before), then the GitHub connection (unless
--connection-arn names one) and one pipeline per component (shop-<stage>-pipeline-<component>).

Options:
  --stage STAGE              dev (default) or prod
  --region REGION            AWS region (default: AWS_REGION, then AWS_DEFAULT_REGION)
  --admin-email EMAIL        e-mail of the shop's first admin (needed to deploy bootstrap)
  --github-repo OWNER/NAME   the GitHub repository the pipelines build (needed for pipelines)
  --connection-arn ARN       an existing CodeConnections connection to GitHub; without it the
                             stack shop-<stage>-connection creates one (PENDING until a person
                             completes it in the console, see the README)
  --branch NAME              the branch the pipelines follow (default: main)
  --no-pipelines             deploy the shop only, no connection and no pipelines
  --only COMPONENT           deploy one component only: bootstrap, auth, products, orders,
                             partners, vault, api or web (what a pipeline's deploy stage runs)
  --cloudformation-role-arn ARN
                             the role CloudFormation acts with (the pipelines pass theirs)
  --dry-run                  print every command it would run, in order, and run none
  --destroy                  delete everything, in the reverse order; tables and the user
                             pool are retained (their stack says so) unless --delete-data;
                             shop-apigateway-account goes with the region's last stage
  --delete-data              with --destroy: delete the retained tables, user pool and
                             product pictures' bucket too
  -h, --help                 this help

Needs: aws (AWS CLI v2) and credentials, sam (AWS SAM CLI), python3.13 with the project's
packages (`make setup && source .venv/bin/activate` provides sam and python3.13), git, and
docker (a running engine) to build the partner functions' image.
EOF
}

die() {
  echo "$PROG: error: $*" >&2
  exit 1
}

usage_error() {
  echo "$PROG: $*" >&2
  echo "Run ./$PROG --help for the options." >&2
  exit 2
}

# ---------------------------------------------------------------- options
stage=dev
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
admin_email=""
github_repo=""
connection_arn=""
branch=main
with_pipelines=true
only=""
cloudformation_role_arn=""
dry_run=false
destroy=false
delete_data=false

while (($#)); do
  case "$1" in
    --stage | --region | --admin-email | --github-repo | --connection-arn | --branch | --only | --cloudformation-role-arn)
      (($# >= 2)) && [[ "$2" != --* ]] || usage_error "$1 needs a value"
      case "$1" in
        --stage) stage=$2 ;;
        --region) region=$2 ;;
        --admin-email) admin_email=$2 ;;
        --github-repo) github_repo=$2 ;;
        --connection-arn) connection_arn=$2 ;;
        --branch) branch=$2 ;;
        --only) only=$2 ;;
        --cloudformation-role-arn) cloudformation_role_arn=$2 ;;
      esac
      shift 2
      ;;
    --no-pipelines) with_pipelines=false && shift ;;
    --dry-run) dry_run=true && shift ;;
    --destroy) destroy=true && shift ;;
    --delete-data) delete_data=true && shift ;;
    -h | --help) usage && exit 0 ;;
    *) usage_error "unknown option: $1" ;;
  esac
done

# ---------------------------------------------------------------- checks, before any deployment
[[ "$stage" == dev || "$stage" == prod ]] || usage_error "--stage must be dev or prod, not '$stage'"
[[ -n "$region" ]] || usage_error "missing region: pass --region REGION or set AWS_REGION"
[[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || usage_error "--region '$region' is not an AWS region name"
if [[ -n "$only" && ! " ${PIPELINE_COMPONENTS[*]} " == *" $only "* ]]; then
  usage_error "--only must be one of: ${PIPELINE_COMPONENTS[*]} (not '$only')"
fi
[[ "$delete_data" == false || "$destroy" == true ]] || usage_error "--delete-data goes with --destroy"
# A branch name as git accepts it (git check-ref-format), and nothing SAM's parameter overrides
# would split or quote: no space, quote, backslash or control character.
if [[ ! "$branch" =~ ^[A-Za-z0-9._/+-]+$ || "$branch" == -* || "$branch" == /* || "$branch" == */ ||
  "$branch" == *..* || "$branch" == *//* || "$branch" == *.lock || "$branch" == *. ]]; then
  usage_error "--branch '$branch' is not a branch name (letters, digits, . _ / + -)"
fi
if [[ -n "$cloudformation_role_arn" && ! "$cloudformation_role_arn" =~ ^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$ ]]; then
  usage_error "--cloudformation-role-arn '$cloudformation_role_arn' is not an IAM role ARN"
fi
[[ -z "$only" || "$destroy" == false ]] || usage_error "--only cannot be combined with --destroy"

deploys_pipelines=false
if [[ "$destroy" == false && -z "$only" && "$with_pipelines" == true ]]; then
  deploys_pipelines=true
fi

if [[ "$destroy" == false ]]; then
  if [[ -z "$only" ]]; then
    [[ -n "$admin_email" ]] ||
      usage_error "missing --admin-email: the first admin's e-mail (Cognito sends the temporary password there)"
  fi
  if [[ -n "$admin_email" && ! "$admin_email" =~ ^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$ ]]; then
    usage_error "--admin-email '$admin_email' is not an e-mail address"
  fi
  if [[ "$deploys_pipelines" == true ]]; then
    [[ -n "$github_repo" ]] ||
      usage_error "missing --github-repo OWNER/NAME: the repository the pipelines build (or --no-pipelines)"
    [[ "$github_repo" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] ||
      usage_error "--github-repo must be OWNER/NAME, not '$github_repo'"
    if [[ -n "$connection_arn" && ! "$connection_arn" =~ ^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]+$ ]]; then
      usage_error "--connection-arn '$connection_arn' is not a CodeConnections connection ARN"
    fi
  fi
fi

require_tool() {
  local tool=$1 hint=$2
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH: $hint"
}

check_tools_and_credentials() {
  require_tool aws "install the AWS CLI v2 (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)"
  if [[ "$destroy" == false && "$only" != web ]]; then
    require_tool sam "run \`make setup && source .venv/bin/activate\`, or install the AWS SAM CLI"
  fi
  if [[ "$destroy" == false ]]; then
    require_tool python3.13 "the packages are compiled and the web client published with python3.13: run \`make setup && source .venv/bin/activate\`"
  fi
  if [[ "$destroy" == false && (-z "$only" || "$only" == partners) ]]; then
    require_tool docker "the partner functions' image is built with docker: install Docker and start its engine"
    if [[ -z "${CODEBUILD_RESOLVED_SOURCE_VERSION:-}" ]]; then
      require_tool git "the partner functions' image is tagged with the commit it is built from"
    fi
  fi
  local identity
  identity=$(aws sts get-caller-identity --region "$region" --query Arn --output text 2>&1) ||
    die "no usable AWS credentials (aws sts get-caller-identity: ${identity//$'\n'/ }). Configure them with \`aws configure\`, \`aws sso login\` or AWS_PROFILE."
  echo "$PROG: deploying as $identity to $region ($stage)" >&2
}

# ---------------------------------------------------------------- running (or printing) commands
# A dry run prints the plan on stdout (fd 3, so that reads inside $(...) print there too),
# one shell-quoted command per line, and runs nothing.
exec 3>&1

quote() {
  local arg out=()
  for arg in "$@"; do
    if [[ "$arg" =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
      out+=("$arg")
    elif [[ "$arg" != *[\$\`\"\\!]* ]]; then
      out+=("\"$arg\"")
    else
      out+=("'${arg//\'/\'\\\'\'}'")
    fi
  done
  echo ${out[@]+"${out[*]}"}
}

run() {
  if [[ "$dry_run" == true ]]; then
    quote "$@" >&3
  else
    echo "+ $(quote "$@")" >&2
    "$@"
  fi
}

# A read whose answer the plan needs (value=$(read_value NAME command...)): a dry run prints
# the command and answers <NAME>.
read_value() {
  local placeholder=$1
  shift
  if [[ "$dry_run" == true ]]; then
    quote "$@" >&3
    echo "<$placeholder>"
  else
    "$@"
  fi
}

# One value of a text output: blank when absent (None, or nothing on some pages of a list).
single_value() {
  local value=${1//[$'\t\r\n ']/}
  echo "${value//None/}"
}

export_value_or_empty() {
  single_value "$(read_value "$1" aws cloudformation list-exports --region "$region" \
    --query "Exports[?Name=='$1'].Value" --output text)"
}

export_value() {
  local value
  value=$(export_value_or_empty "$1")
  [[ -n "$value" ]] || die "export $1 not found in $region: deploy the stack that exports it first"
  echo "$value"
}

# Blank when the stack does not exist.
stack_output_or_empty() {
  local value
  value=$(read_value "$1.$2" aws cloudformation describe-stacks --region "$region" --stack-name "$1" \
    --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue" --output text 2>/dev/null) || value=""
  single_value "$value"
}

# Blank when the stack or the parameter does not exist.
stack_parameter_or_empty() {
  local value
  value=$(read_value "$1.$2" aws cloudformation describe-stacks --region "$region" --stack-name "$1" \
    --query "Stacks[0].Parameters[?ParameterKey=='$2'].ParameterValue" --output text 2>/dev/null) || value=""
  single_value "$value"
}

# The stack's status, blank when it does not exist.
stack_status() {
  read_value "$1.StackStatus" aws cloudformation describe-stacks --region "$region" \
    --stack-name "$1" --query "Stacks[0].StackStatus" --output text 2>/dev/null || true
}

# ---------------------------------------------------------------- deploying
artifact_bucket=""
role_option=()
if [[ -n "$cloudformation_role_arn" ]]; then
  role_option=(--role-arn "$cloudformation_role_arn")
fi

# A stack whose first creation failed stays in ROLLBACK_COMPLETE, and CloudFormation refuses to
# update it: delete it so that the deployment can create it again; but a stack holding data
# (its retained tables or pool may have been created) is left for a person to look at.
clear_failed_create() {
  local stack=$1 component=$2 status
  status=$(single_value "$(stack_status "$stack")")
  # An update whose rollback could not finish (a resource CloudFormation could not put back)
  # refuses every change until the rollback is continued, with the stack's own role.
  if [[ "$status" == UPDATE_ROLLBACK_FAILED ]]; then
    echo "$PROG: $stack is in UPDATE_ROLLBACK_FAILED: continuing its rollback before deploying (if it fails again, see the stack's events)" >&2
    run aws cloudformation continue-update-rollback --region "$region" --stack-name "$stack"
    run aws cloudformation wait stack-rollback-complete --region "$region" --stack-name "$stack"
    return 0
  fi
  [[ "$status" == ROLLBACK_COMPLETE ]] || return 0
  if [[ " ${DATA_STACKS[*]} " == *" $component "* ]]; then
    die "$stack is in ROLLBACK_COMPLETE: its first creation failed (see its events in the CloudFormation console). It holds the shop's data, so it is not deleted for you: check what its failed creation left (retained tables, user pool), delete the stack (aws cloudformation delete-stack --region $region --stack-name $stack), then run this again."
  fi
  echo "$PROG: $stack is in ROLLBACK_COMPLETE (a failed first creation): deleting it before creating it again" >&2
  delete_stack "$stack"
}

# sam deploy of stack $2 with samconfig.toml's environment <stage>-$1 (or $1, for a stack no
# stage owns), never prompting, a success when nothing changed, and packages uploaded to the
# artifact bucket once it exists.
sam_deploy() {
  local component=$1 stack=$2 environment="$stage-$1" upload=()
  shift 2
  if [[ " ${ACCOUNT_STACKS[*]} " == *" $component "* ]]; then
    environment=$component
  fi
  if [[ -n "$artifact_bucket" ]]; then
    upload=(--s3-bucket "$artifact_bucket")
  fi
  clear_failed_create "$stack" "$component"
  run sam deploy --config-env "$environment" --stack-name "$stack" --region "$region" \
    --no-confirm-changeset --no-fail-on-empty-changeset ${upload[@]+"${upload[@]}"} "$@"
}

# The API's origin (https://<id>.execute-api.<region>.amazonaws.com), blank before the api
# stack exists: the web client's Content-Security-Policy (bootstrap) lets it call only that.
api_origin() {
  local url
  url=$(stack_output_or_empty "shop-$stage-api" ApiUrl)
  if [[ "$url" =~ ^(https://[^/]+) ]]; then
    echo "${BASH_REMATCH[1]}"
  fi
}

# Set by each bootstrap deployment: the API origin its CSP names (blank: none yet).
bootstrap_api_origin=""

# deploy_stack COMPONENT [NAME=VALUE...] [--OPTION VALUE...]: sam build and deploy, with
# these parameters too, and these options of sam deploy.
deploy_stack() {
  # Without --parameter-overrides samconfig.toml's apply (Stage, SnapStart); given, they
  # replace all of samconfig's, so they repeat Stage.
  local component=$1 overrides=() options=()
  shift
  while (($#)) && [[ "$1" != --* ]]; do
    overrides+=("$1")
    shift
  done
  if [[ "$component" == bootstrap ]]; then
    if [[ -n "$admin_email" ]]; then
      overrides+=("AdminEmail=$admin_email")
    fi
    bootstrap_api_origin=$(api_origin)
    if [[ -n "$bootstrap_api_origin" ]]; then
      overrides+=("ApiOrigin=$bootstrap_api_origin")
    fi
  fi
  if ((${#overrides[@]})); then
    options=(--parameter-overrides "Stage=$stage" ${overrides[@]+"${overrides[@]}"})
  fi
  run sam build --config-env "$stage-$component"
  # Lambda cannot write bytecode: without it in the package, every cold start compiles.
  run python3.13 -m stacks.bytecode --config-env "$stage-$component"
  sam_deploy "$component" "shop-$stage-$component" ${role_option[@]+"${role_option[@]}"} \
    ${options[@]+"${options[@]}"} "$@"
}

# ---------------------------------------------------------------- the partner functions' image
# The commit the image is built from: in a pipeline's build, the one CodeBuild checked out
# (its source has no .git); elsewhere git's, and a working tree with changes adds the hash of
# its diff, so that an immutable tag never names two different images.
image_tag() {
  local commit changes diff
  if [[ -n "${CODEBUILD_RESOLVED_SOURCE_VERSION:-}" ]]; then
    echo "${CODEBUILD_RESOLVED_SOURCE_VERSION:0:12}"
    return 0
  fi
  commit=$(git rev-parse --short=12 HEAD 2>/dev/null) ||
    die "no commit to tag the partner functions' image with: run from a git clone, or set CODEBUILD_RESOLVED_SOURCE_VERSION to the commit (as a pipeline's build does)"
  changes=$(git status --porcelain)
  if [[ -n "$changes" ]]; then
    diff=$(git diff HEAD | git hash-object --stdin)
    echo "$commit-dirty-${diff:0:12}"
  else
    echo "$commit"
  fi
}

# The digest of the image tagged $2 in repository $1, blank if there is none.
image_digest() {
  local value
  value=$(read_value "digest" aws ecr describe-images --region "$region" --repository-name "$1" \
    --image-ids "imageTag=$2" --query "imageDetails[0].imageDigest" --output text 2>/dev/null) ||
    value=""
  single_value "$value"
}

ecr_login() {
  aws ecr get-login-password --region "$region" | docker login --username AWS --password-stdin "$1"
}

# The partners component: the image's repository (stack shop-<stage>-partners-images), the
# image built and pushed unless this commit's already is (tags are immutable), then the stack
# with the image by digest, so that the functions run exactly what was pushed.
deploy_partners() {
  local repository_uri repository tag digest
  sam_deploy partners-images "shop-$stage-partners-images" ${role_option[@]+"${role_option[@]}"} \
    --parameter-overrides "Stage=$stage"
  repository_uri=$(export_value "shop-$stage-PartnerImageRepositoryUri")
  repository=$(export_value "shop-$stage-PartnerImageRepositoryName")
  tag=$(image_tag)
  digest=$(image_digest "$repository" "$tag")
  if [[ -z "$digest" || "$dry_run" == true ]]; then
    run docker build --file services/partners/Dockerfile --platform linux/amd64 \
      --provenance=false --tag "$repository_uri:$tag" .
    run ecr_login "${repository_uri%%/*}"
    run docker push "$repository_uri:$tag"
    digest=$(image_digest "$repository" "$tag")
    [[ -n "$digest" ]] || die "the image $repository_uri:$tag was pushed but ECR has no digest for it"
  fi
  # sam deploy refuses an image function without an image repository option, even when the
  # image is already pushed and named by digest (as here): it pushes nothing then.
  deploy_stack partners "PartnerImageUri=$repository_uri@$digest" --image-repository "$repository_uri"
}

deploy_component() {
  case "$1" in
    web) run python3.13 -m web_client.publish --stage "$stage" --region "$region" ;;
    partners) deploy_partners ;;
    *) deploy_stack "$1" ;;
  esac
}

# The Route 53 record names a component's pipeline may write (pipelines/template.yaml,
# DomainNames): the custom domain its deployed stack names (in lower case, without a final
# dot: the stack's parameter pattern), and the names under it (DNS validation's); blank
# without a custom domain.
domain_names() {
  local domain=""
  case $1 in
    bootstrap) domain=$(stack_parameter_or_empty "shop-$stage-bootstrap" WebDomainName) ;;
    api) domain=$(stack_parameter_or_empty "shop-$stage-api" ApiDomainName) ;;
  esac
  if [[ -n "$domain" ]]; then
    echo "$domain,*.$domain"
  fi
}

deploy_pipelines() {
  local connection=$connection_arn component status approve_every_deploy=false
  # In prod a person approves every component's deployment; in dev, bootstrap's only.
  if [[ "$stage" == prod ]]; then
    approve_every_deploy=true
  fi
  if [[ -z "$connection" ]]; then
    sam_deploy connection "shop-$stage-connection"
    connection=$(export_value "shop-$stage-GitHubConnectionArn")
  fi
  for component in "${PIPELINE_COMPONENTS[@]}"; do
    sam_deploy pipeline "shop-$stage-pipeline-$component" \
      --tags "project=shop stage=$stage component=pipeline-$component" \
      --parameter-overrides "Stage=$stage" "Component=$component" "ConnectionArn=$connection" \
      "RepositoryId=$github_repo" "BranchName=$branch" "ApproveEveryDeploy=$approve_every_deploy" \
      "DomainNames=\"$(domain_names "$component")\""
  done
  status=$(read_value ConnectionStatus aws codeconnections get-connection --region "$region" \
    --connection-arn "$connection" --query Connection.ConnectionStatus --output text) || status=UNKNOWN
  status=$(single_value "$status")
  if [[ "$dry_run" == false && "$status" != AVAILABLE ]]; then
    cat >&2 <<EOF
$PROG: the GitHub connection is ${status:-UNKNOWN}: the pipelines cannot fetch the repository
until a person completes it, once. In the AWS console (region $region): Developer Tools >
Settings > Connections > the connection > Update pending connection, then install (or pick)
the AWS Connector for GitHub app with access to $github_repo. Then start each pipeline once
with "Release change"; from then on a push to $branch starts the pipelines it concerns.
EOF
  fi
}

# ---------------------------------------------------------------- API Gateway's CloudWatch role
# API Gateway writes every REST API's access logs of the account and region with the one role
# its account setting names. That role has a stack of its own (shop-apigateway-account), which
# no stage owns: every full deployment creates it if it is missing, and only the teardown of
# the region's last stage deletes it, so the setting names a role that exists while any stage's
# API does, whichever stage goes first. The setting is made here, not by CloudFormation: IAM is
# eventually consistent, and API Gateway refuses a role it cannot assume yet, so the role must
# exist and have propagated first.

other_stage() {
  if [[ "$stage" == dev ]]; then
    echo prod
  else
    echo dev
  fi
}

# The role API Gateway's account setting names, blank when none.
apigateway_role() {
  single_value "$(read_value ApiGatewayCloudWatchRoleArn aws apigateway get-account \
    --region "$region" --query cloudwatchRoleArn --output text)"
}

account_role() {
  stack_output_or_empty "$APIGATEWAY_ACCOUNT_STACK" ApiGatewayCloudWatchRoleArn
}

# The role stage $1's artifacts stack holds if an earlier version of this script deployed it
# (the role was the first stage's then), blank otherwise.
stage_role() {
  stack_output_or_empty "shop-$1-artifacts" ApiGatewayCloudWatchRoleArn
}

# Whether the role ARN $1 names exists: a setting can outlive its role (the teardown of an
# earlier version deleted the role it named). Any answer but "no such role" counts as yes.
role_exists() {
  local answer
  answer=$(aws iam get-role --region "$region" --role-name "${1##*/}" --query Role.Arn \
    --output text 2>&1) || [[ "$answer" != *NoSuchEntity* ]]
}

set_apigateway_role() {
  local role=$1 attempt
  run aws iam wait role-exists --region "$region" --role-name "${role##*/}"
  for attempt in 1 2 3 4 5 6 7 8 9 10 11 12; do
    if run aws apigateway update-account --region "$region" \
      --patch-operations "op=replace,path=/cloudwatchRoleArn,value=$role" >/dev/null; then
      return 0
    fi
    echo "$PROG: API Gateway does not accept the new role yet (IAM propagation, try $attempt of 12)" >&2
    sleep 5
  done
  die "API Gateway refused its CloudWatch role $role for a minute: run this again"
}

# The role's stack (created, or left as it is), then the setting pointed at its role: unless
# it names a role that exists and is not the shop's (another project's: left as it is).
deploy_apigateway_account() {
  local role current
  sam_deploy apigateway-account "$APIGATEWAY_ACCOUNT_STACK"
  role=$(account_role)
  current=$(apigateway_role)
  [[ "$current" != "$role" ]] || return 0
  # (A dry run cannot know: it shows the commands that set it.)
  if [[ "$dry_run" == false && -n "$current" && "$current" != "$(stage_role dev)" &&
    "$current" != "$(stage_role prod)" ]] && role_exists "$current"; then
    echo "$PROG: API Gateway's CloudWatch role in $region is $current, not the shop's: left as it is" >&2
    return 0
  fi
  set_apigateway_role "$role"
}

# Before the stage's artifacts stack goes. While the other stage is deployed here (its
# artifacts stack, first created and last deleted, exists) the role stays, and the setting is
# moved off this stage's own role if it still names it (an earlier version's layout). The
# region's last stage clears the setting, if it names the shop's role (or one that is gone),
# and deletes the role.
release_apigateway_account() {
  local current others
  current=$(apigateway_role)
  others=$(single_value "$(stack_status "shop-$(other_stage)-artifacts")")
  # (A dry run cannot know: it shows the last stage's commands.)
  if [[ "$dry_run" == false && -n "$others" ]]; then
    if [[ -n "$current" && "$current" == "$(stage_role "$stage")" ]]; then
      require_tool sam "moving API Gateway's CloudWatch role off this stage's stack needs sam: run \`make setup && source .venv/bin/activate\`"
      deploy_apigateway_account
    fi
    echo "$PROG: kept $APIGATEWAY_ACCOUNT_STACK (API Gateway's CloudWatch role): shop-$(other_stage) is still deployed in $region" >&2
    return 0
  fi
  if [[ "$dry_run" == false ]]; then
    echo "$PROG: shop-$stage is the last stage in $region: deleting $APIGATEWAY_ACCOUNT_STACK (API Gateway's CloudWatch role), its setting cleared first if it names that role" >&2
  fi
  if [[ "$dry_run" == true || (-n "$current" && ("$current" == "$(account_role)" ||
    "$current" == "$(stage_role "$stage")")) ]] || { [[ -n "$current" ]] && ! role_exists "$current"; }; then
    # A replace with no value clears the setting: no role named, none to assume.
    run aws apigateway update-account --region "$region" \
      --patch-operations op=replace,path=/cloudwatchRoleArn >/dev/null
  fi
  delete_stack "$APIGATEWAY_ACCOUNT_STACK"
}

# The stage's artifacts stack, after the account's role: the setting never names a stage's.
deploy_artifacts() {
  deploy_apigateway_account
  sam_deploy artifacts "shop-$stage-artifacts"
  # The rules of the stage's Guard hook (the artifacts stack's), before any component stack.
  run aws s3api put-object --region "$region" --key guard/stage-isolation.guard \
    --bucket "$(export_value "shop-$stage-ArtifactBucketName")" \
    --body pipelines/guard/stage-isolation.guard >/dev/null
}

deploy_everything() {
  if [[ -z "$only" ]]; then
    deploy_artifacts
  fi
  if [[ "$only" != web ]]; then
    artifact_bucket=$(export_value "shop-$stage-ArtifactBucketName")
  fi
  if [[ -n "$only" ]]; then
    deploy_component "$only"
    return 0
  fi
  local component
  for component in "${STACK_COMPONENTS[@]}" web; do
    deploy_component "$component"
  done
  # A first deploy: bootstrap came before the API existed; now its CSP can name the API.
  if [[ -z "$bootstrap_api_origin" ]]; then
    deploy_stack bootstrap
  fi
  if [[ "$deploys_pipelines" == true ]]; then
    deploy_pipelines
  fi
  if [[ "$dry_run" == false ]]; then
    echo "$PROG: done; the shop is at $(export_value "shop-$stage-WebOrigin")" >&2
  fi
}

# ---------------------------------------------------------------- tearing down
delete_stack() {
  run aws cloudformation delete-stack --region "$region" --stack-name "$1"
  run aws cloudformation wait stack-delete-complete --region "$region" --stack-name "$1"
}

# Deletes every object version and delete marker (the web and SAM buckets keep versions), in
# batches DeleteObjects accepts. Nothing to do for a blank name (a stack already gone).
empty_bucket() {
  local bucket=$1 batch
  [[ -n "$bucket" ]] || return 0
  while :; do
    # shellcheck disable=SC2016 # a JMESPath literal, not a shell expansion
    batch=$(read_value objects aws s3api list-object-versions --region "$region" --bucket "$bucket" \
      --max-items 400 --output json \
      --query '{Objects: [Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}, Quiet: `true`}')
    if [[ "$dry_run" == false && "$batch" != *'"Key"'* ]]; then
      return 0
    fi
    run aws s3api delete-objects --region "$region" --bucket "$bucket" --delete "$batch" >/dev/null
    if [[ "$dry_run" == true ]]; then
      return 0
    fi
  done
}

destroy_pipeline() {
  local stack="shop-$stage-pipeline-$1"
  empty_bucket "$(stack_output_or_empty "$stack" ArtifactBucketName)"
  delete_stack "$stack"
}

# Bootstrap's tables and user pool outlive its stack (DeletionPolicy: Retain) and are
# protected from deletion: lift the protection, then delete them. Names are table:<name>
# or userpool:<id>, read from the exports before the stack went.
delete_retained_data() {
  local name
  for name in "$@"; do
    if [[ "$name" == table:* ]]; then
      # Lifting the protection is a table update: DeleteTable refuses a table still UPDATING.
      run aws dynamodb update-table --region "$region" --table-name "${name#table:}" \
        --no-deletion-protection-enabled >/dev/null
      run aws dynamodb wait table-exists --region "$region" --table-name "${name#table:}"
      run aws dynamodb delete-table --region "$region" --table-name "${name#table:}" >/dev/null
      run aws dynamodb wait table-not-exists --region "$region" --table-name "${name#table:}"
    else
      run aws cognito-idp update-user-pool --region "$region" --user-pool-id "${name#userpool:}" \
        --deletion-protection INACTIVE
      run aws cognito-idp delete-user-pool --region "$region" --user-pool-id "${name#userpool:}"
    fi
  done
}

# Each component's stack goes before its pipeline: a stack a pipeline deployed stays bound to
# that pipeline's CloudFormation role, and CloudFormation deletes it with that role, so the role
# must still exist. Components go in the reverse order of deployment; the web pipeline (which
# imports bootstrap's exports) goes before bootstrap, and the artifacts stack (whose bucket and
# boundary every pipeline uses) last.
destroy_everything() {
  # The web client has no stack: its files go first, so that bootstrap can delete its bucket.
  empty_bucket "$(export_value_or_empty "shop-$stage-WebBucketName")"
  local index component retained=() export_name value
  local image_repository
  image_repository=$(export_value_or_empty "shop-$stage-PartnerImageRepositoryName")
  destroy_pipeline web
  for ((index = ${#STACK_COMPONENTS[@]} - 1; index >= 1; index--)); do
    component=${STACK_COMPONENTS[index]}
    delete_stack "shop-$stage-$component"
    if [[ "$component" == partners ]]; then
      delete_stack "shop-$stage-partners-images"
    fi
    if [[ " ${PIPELINE_COMPONENTS[*]} " == *" $component "* ]]; then
      destroy_pipeline "$component"
    fi
  done
  # The image repository outlives its stack (DeletionPolicy: Retain), as the tables do.
  if [[ "$delete_data" == true && -n "$image_repository" ]]; then
    run aws ecr delete-repository --region "$region" --repository-name "$image_repository" --force
  fi
  local images_bucket="" vault_bucket=""
  if [[ "$delete_data" == true ]]; then
    images_bucket=$(export_value_or_empty "shop-$stage-ProductImagesBucketName")
    vault_bucket=$(export_value_or_empty "shop-$stage-VaultBucketName")
    for export_name in ProductsTableName OrdersTableName IdempotencyTableName VaultTableName UserPoolId; do
      value=$(export_value_or_empty "shop-$stage-$export_name")
      if [[ -n "$value" ]]; then
        [[ "$export_name" == UserPoolId ]] && retained+=("userpool:$value") || retained+=("table:$value")
      fi
    done
  fi
  delete_stack "shop-$stage-bootstrap"
  destroy_pipeline bootstrap
  delete_stack "shop-$stage-connection"
  if [[ "$delete_data" == true ]]; then
    delete_retained_data ${retained[@]+"${retained[@]}"}
    # The product pictures' and the vault's buckets are retained too: S3 deletes only an
    # empty bucket.
    for bucket in "$images_bucket" "$vault_bucket"; do
      if [[ -n "$bucket" ]]; then
        empty_bucket "$bucket"
        run aws s3api delete-bucket --region "$region" --bucket "$bucket"
      fi
    done
  elif [[ "$dry_run" == false ]]; then
    echo "$PROG: kept shop-$stage-bootstrap's retained tables, user pool, product pictures and the vault's configurations (--delete-data deletes them)" >&2
  fi
  release_apigateway_account
  empty_bucket "$(export_value_or_empty "shop-$stage-ArtifactBucketName")"
  delete_stack "shop-$stage-artifacts"
}

# ---------------------------------------------------------------- main
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ "$dry_run" == false ]]; then
  check_tools_and_credentials
fi
if [[ "$destroy" == true ]]; then
  destroy_everything
else
  deploy_everything
fi
