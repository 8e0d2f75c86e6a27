"""The whole shop on one machine: emulator, resources, functions, API, Cognito and site."""

import os
import uuid
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import boto3
import requests

from local.apigateway.api_definition import load_api_definition
from local.apigateway.api_keys import ApiKeyEnforcer
from local.apigateway.gateway import Gateway, log_line
from local.apigateway.usage_plans import create_usage_plans, serve_get_usage, usage_plan_specs
from local.aws import LOOPBACK, emulator, restore_state, save_state
from local.cloudformation.distributions import CLOUDFRONT_REGION
from local.cloudformation.provision import (
    provision_bootstrap,
    set_permanent_password,
    table_is_empty,
)
from local.cloudformation.stack import ACCOUNT_ID, LocalCloud
from local.cloudfront.distributions import Distributions
from local.cloudfront.samples import sample_distributions
from local.cognito.proxy import CognitoProxy, ConfirmationCodes
from local.cognito.resets import PasswordResetCodes, password_policy
from local.cognito.security import CognitoSecurity
from local.cognito.tokens import ReissuedTokens, client_token_lifetimes
from local.data_migrations import StateTables, migrate_restored_state
from local.eventbridge.rules import EventBus, rules_of
from local.eventbridge.trail import ManagementEvents
from local.host_check import local_hosts
from local.lambda_.functions import (
    DEFAULT_MAX_WORKERS,
    LOCAL_RUNTIME_ENVIRONMENT,
    FunctionConfig,
    LocalFunction,
)
from local.lambda_.streams import StreamPoller, resolve_events, stream_mappings
from local.s3.images import IMAGES_BUCKET, S3_PREFIX, ImageService
from local.scheduler.runner import (
    LocalScheduler,
    SchedulerClock,
    template_schedule_groups,
    template_schedules,
)
from local.server import ShopApplication, ShopServer
from local.ses.mail_server import MailServer
from local.site import SiteConfig, security_headers, site_distribution
from stacks.environment import fake_credentials_environment
from stacks.intrinsics import Scope
from stacks.templates import (
    API_TEMPLATE,
    AUTH_TEMPLATE,
    BOOTSTRAP_TEMPLATE,
    FUNCTION_TEMPLATES,
    OPENAPI,
    REPO_ROOT,
    SERVICE_TEMPLATES,
    FunctionSpec,
    load_template,
    parameter_defaults,
    serverless_functions,
)

API_ID = "shoplocal1"
# Name, price, stock (None: not tracked), description.
SAMPLE_PRODUCTS = (
    ("Espresso cup", 12.5, 40, "Porcelain, 80 ml, with a thick wall that keeps it warm."),
    ("Pour-over kettle", 49.0, 8, "Gooseneck spout for a slow, even pour. 1 litre."),
    ("Hand grinder", 89.99, 3, "Steel burrs, 40 settings from espresso to French press."),
    ("Coffee beans, 1 kg", 24.9, None, "Medium roast from Huila, Colombia: cocoa, red fruit."),
)
_SAMPLE_NAMESPACE = uuid.UUID("6d1f1d3c-2f43-4c55-9a59-3d3c1e0b5a01")


@dataclass(frozen=True)
class Options:
    port: int = 8000
    persist: bool = False
    state_dir: Path = REPO_ROOT / ".local-state"
    admin_username: str = "admin"
    admin_password: str = "Admin-Passw0rd!"  # noqa: S105 - the printed local default
    parameter_overrides: Mapping[str, str] = field(default_factory=dict)
    region: str = "eu-west-1"
    max_workers: int = DEFAULT_MAX_WORKERS  # per function, before invocations queue
    mail_dir: Path | None = None  # where the mail server keeps messages (default: state_dir/mail)


class LocalShop:
    """Start with `with LocalShop(options) as shop:`; everything stops on exit."""

    def __init__(
        self,
        options: Options,
        announce: Callable[[str], None],
        access_log: Callable[[str], None] = log_line,
        function_log: Callable[[str], None] = log_line,
    ) -> None:
        self.options = options
        self._announce = announce
        self._access_log = access_log
        self._function_log = function_log
        self._resources = ExitStack()
        self._codes = ConfirmationCodes()
        self._cognito_security = CognitoSecurity()
        self._reissued_tokens = ReissuedTokens()
        self._password_resets = PasswordResetCodes()
        self._cloudfront = Distributions()
        self._keeps_state = False
        self._restored = False
        self.endpoint_url = ""
        self.functions: dict[str, LocalFunction] = {}

    def __enter__(self) -> Self:
        try:
            self._start()
        except BaseException:
            self._resources.close()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        # No new request first: the workers, pollers and scheduler then stop with nothing
        # more coming in.
        self.server.stop()
        self._resources.close()

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.server.port}/"

    def _start(self) -> None:
        options = self.options
        serve_get_usage()
        self.trail = ManagementEvents()
        self.scheduler_clock = SchedulerClock()
        self.endpoint_url = self._resources.enter_context(
            emulator(
                self.trail,
                functions=lambda: self.functions,
                scheduler_clock=self.scheduler_clock,
                announce=self._announce,
                password_resets=lambda: self._password_resets,
                cloudfront=self._cloudfront,
            )
        )
        # The stack's own AWS clients (provisioning, the Cognito proxy) use the emulator.
        os.environ.update(fake_credentials_environment(options.region, self.endpoint_url))
        self._restore()
        self.mail = self._resources.enter_context(
            MailServer(options.mail_dir or options.state_dir / "mail", self._announce)
        )
        self.server = ShopServer(LOOPBACK, options.port)
        self._resources.callback(self.server.stop)
        site_host = f"{LOOPBACK}:{self.server.port}"
        self.cloud = LocalCloud(
            stage=str(parameter_defaults(load_template(BOOTSTRAP_TEMPLATE))["Stage"]),
            region=options.region,
            parameter_overrides={
                "AdminUsername": options.admin_username,
                "AdminEmail": f"{options.admin_username}@example.com",
                "ExtraAllowedOrigins": f"http://localhost:{self.server.port}",
                # SES stands in as the local mail server: the notifier sends it over SMTP.
                **self.mail.smtp_settings(),
                **options.parameter_overrides,
            },
        )
        self.bootstrap = provision_bootstrap(self.cloud, site_host, options.admin_username)
        set_permanent_password(
            self.bootstrap.user_pool_id, options.admin_username, options.admin_password
        )
        if self._restored:
            migrate_restored_state(self._state_tables(), self._announce)
        self.functions = self._load_functions()
        for function in self.functions.values():
            self._resources.callback(function.close)
        self.gateway = self._gateway()
        config = SiteConfig(
            stage=self.gateway.api.stage,
            region=options.region,
            user_pool_id=self.bootstrap.user_pool_id,
            user_pool_client_id=self.bootstrap.user_pool_client_id,
            currency=self._currency(),
        )
        bootstrap_scope = self.cloud.scope(
            BOOTSTRAP_TEMPLATE, self.bootstrap.references, self.bootstrap.attributes
        )
        cognito = CognitoProxy(
            self.endpoint_url,
            options.region,
            self._codes,
            self._announce,
            self._cognito_security,
            client_token_lifetimes(load_template(BOOTSTRAP_TEMPLATE), bootstrap_scope),
            self._reissued_tokens,
            origins=[f"http://{host}" for host in local_hosts(self.server.port)],
            resets=self._password_resets,
            password_policy=password_policy(load_template(BOOTSTRAP_TEMPLATE), bootstrap_scope),
            user_pool_id=self.bootstrap.user_pool_id,
        )
        images = ImageService(
            self.endpoint_url,
            self.bootstrap.references[IMAGES_BUCKET],
            os.environ["AWS_ACCESS_KEY_ID"],
            os.environ["AWS_SECRET_ACCESS_KEY"],
        )
        self.server.mount(
            ShopApplication(
                self.gateway,
                cognito,
                config,
                security_headers(bootstrap_scope),
                images,
                site_distribution(),
            )
        )
        self.server.start()
        self._start_streams()
        self._seed_products()
        self._seed_distributions()
        # After the seeds: version 1 of each sample is the admin's capture, not a detection.
        self._start_event_rules()
        self._start_scheduler()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}{self.gateway.api.stage}"

    # ------------------------------------------------------------------ state
    def _restore(self) -> None:
        if not self.options.persist:
            return
        if os.environ.get("AWS_ENDPOINT_URL") != self.endpoint_url:
            self._announce(
                "--persist: the external emulator at AWS_ENDPOINT_URL keeps its own state"
            )
            return
        extra = restore_state(self.options.state_dir)
        if extra is not None:
            self._codes = ConfirmationCodes(extra.get("confirmation_codes"))
            self._cognito_security = CognitoSecurity(extra.get("cognito_security"))
            self._reissued_tokens = ReissuedTokens(extra.get("reissued_tokens"))
            self._password_resets = PasswordResetCodes(extra.get("password_resets"))
            if "cloudfront" in extra:  # a state saved before CloudFront's was kept has none
                self._cloudfront.restore(extra["cloudfront"])
            self._announce(f"Restored the state saved in {self.options.state_dir}")
            self._restored = True
        self._keeps_state = True
        self._resources.callback(self._save)

    def _currency(self) -> str:
        return str(self.cloud.exports[self.cloud.export_name("Currency")])

    def _state_tables(self) -> StateTables:
        references = self.bootstrap.references
        return StateTables(
            orders_table=references["OrdersTable"],
            products_table=references["ProductsTable"],
            user_pool_id=self.bootstrap.user_pool_id,
            currency=self._currency(),
        )

    def _save(self) -> None:
        path = save_state(
            self.options.state_dir,
            {
                "confirmation_codes": self._codes.snapshot(),
                "cognito_security": self._cognito_security.snapshot(),
                "reissued_tokens": self._reissued_tokens.snapshot(),
                "password_resets": self._password_resets.snapshot(),
                "cloudfront": self._cloudfront.snapshot(),
            },
        )
        self._announce(f"Saved the state to {path}")

    # ------------------------------------------------------------------ functions and API
    def _load_functions(self) -> dict[str, LocalFunction]:
        """Every function of the templates, by ARN; each starts its first worker when first
        invoked (its cold start)."""
        functions: dict[str, LocalFunction] = {}
        for path in FUNCTION_TEMPLATES:
            if not path.exists():
                self._announce(f"warning: {path.relative_to(REPO_ROOT)} does not exist yet")
                continue
            specs = serverless_functions(path)
            scope = self.cloud.function_scope(path, specs)
            for spec in specs.values():
                config = self.function_config(spec, scope)
                functions[config.arn] = LocalFunction(
                    config, log=self._function_log, max_workers=self.options.max_workers
                )
            self.cloud.publish_outputs(path, scope)
        return functions

    def _start_streams(self) -> None:
        """The templates' DynamoDB stream mappings, each polled into its function."""
        for path in FUNCTION_TEMPLATES:
            specs = serverless_functions(path)
            scope = self.cloud.function_scope(path, specs)
            for spec in specs.values():
                events = resolve_events(spec.properties.get("Events", {}), scope)
                stack = f"shop-{self.cloud.stage}-{path.parent.name}"
                for mapping in stream_mappings(spec.logical_id, events, stack):
                    function = self.functions[self.cloud.invoked_arn(spec)]
                    poller = StreamPoller(mapping, function, self._announce)
                    poller.start()
                    self._resources.callback(poller.stop)

    def _start_event_rules(self) -> None:
        """The templates' EventBridge rules on the default bus, fed by the emulated
        CloudFront's management events (CloudTrail's, in AWS)."""
        bus = EventBus(self._announce)
        for path in FUNCTION_TEMPLATES:
            for spec in serverless_functions(path).values():
                function = self.functions[self.cloud.invoked_arn(spec)]
                bus.add(rules_of(spec.logical_id, spec.properties.get("Events", {}), function))
        self.trail.subscribe(bus.put)

    def _start_scheduler(self) -> None:
        """EventBridge Scheduler: the templates' schedule groups and schedules created in the
        emulator, as CloudFormation would, then every schedule there run at its times."""
        scheduler = LocalScheduler(
            boto3.client("scheduler"), self.functions, self._announce, self.scheduler_clock
        )
        for path in FUNCTION_TEMPLATES:
            specs = serverless_functions(path)
            scope = self.cloud.function_scope(path, specs)
            for group in template_schedule_groups(path, scope):
                scheduler.create_group(group)
            stack = f"shop-{self.cloud.stage}-{path.parent.name}"
            invoked = {
                logical_id: self.cloud.invoked_arn(spec) for logical_id, spec in specs.items()
            }
            for schedule in template_schedules(
                path, invoked, scope, f"arn:aws:iam::{ACCOUNT_ID}:role/{stack}-"
            ):
                scheduler.create(schedule)
        scheduler.start()
        self._resources.callback(scheduler.stop)

    def function_config(self, spec: FunctionSpec, scope: Scope) -> FunctionConfig:
        """How a function's workers start, pointed at this stack's emulator."""
        emulator = {
            **fake_credentials_environment(self.options.region, self.endpoint_url),
            # S3 calls (and the upload URLs the functions sign) go to this server's /s3.
            "AWS_ENDPOINT_URL_S3": f"{self.base_url.rstrip('/')}{S3_PREFIX}",
            **LOCAL_RUNTIME_ENVIRONMENT,
            **self._local_settings(spec.template_path),
        }
        return self.cloud.function_config(spec, scope, emulator)

    def _local_settings(self, template_path: Path) -> dict[str, str]:
        if template_path in {SERVICE_TEMPLATES["orders"], SERVICE_TEMPLATES["vault"]}:
            # Local only: the local mail server speaks plain SMTP on 127.0.0.1 (the templates
            # allow only starttls and tls).
            return {"SMTP_SECURITY": "none"}
        if template_path != AUTH_TEMPLATE:
            return {}
        # The emulated pool serves its keys at the emulator's address, not at the issuer's,
        # and its public API (which knows revoked tokens) at this server's /cognito/.
        return {
            "JWKS_URL": f"{self.endpoint_url}/{self.bootstrap.user_pool_id}/.well-known/jwks.json",
            "COGNITO_ENDPOINT": f"{self.base_url}cognito/",
        }

    def _gateway(self) -> Gateway:
        scope = self.cloud.scope(API_TEMPLATE, {"ShopApi": API_ID})
        api = load_api_definition(OPENAPI, API_TEMPLATE, scope)
        self.cloud.publish_outputs(API_TEMPLATE, scope, {"ApiUrl": f"{self.base_url}{api.stage}"})
        for arn in sorted(api.function_arns - self.functions.keys()):
            self._announce(f"warning: {arn} is not deployed locally: its routes answer 500")
        specs = usage_plan_specs(load_template(API_TEMPLATE), scope)
        create_usage_plans(boto3.client("apigateway"), specs, API_ID, api.stage)
        api_keys = ApiKeyEnforcer(region=self.options.region, api_id=API_ID, stage=api.stage)
        return Gateway(
            api,
            self.functions,
            region=self.options.region,
            account_id=ACCOUNT_ID,
            api_id=API_ID,
            api_keys=api_keys.check,
            log=self._access_log,
        )

    # ------------------------------------------------------------------ sample data
    def _seed_products(self) -> None:
        """A few products, created through the API as the admin, once (not on a restored state)."""
        table = self.cloud.exports[self.cloud.export_name("ProductsTableName")]
        if not table_is_empty(str(table)):
            return
        token = self.sign_in(self.options.admin_username, self.options.admin_password)["IdToken"]
        for name, price, stock, description in SAMPLE_PRODUCTS:
            product = {
                "product_id": str(uuid.uuid5(_SAMPLE_NAMESPACE, name)),
                "name": name,
                "price": price,
                "description": description,
                "stock": stock,
                "expected_stock": None,
            }
            response = requests.post(
                f"{self.api_url}/product",
                json=product,
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            if not response.ok:
                self._announce(
                    f"warning: sample product {name!r}: {response.status_code} {response.text}"
                )

    def _seed_distributions(self) -> None:
        """The sample distributions beside the shop's own (created with the bootstrap stack),
        and version 1 of each captured through the API as the admin, once (not on a restored
        state)."""
        table = self.cloud.exports[self.cloud.export_name("VaultTableName")]
        if not table_is_empty(str(table)):
            return
        cloudfront = boto3.client("cloudfront", region_name=CLOUDFRONT_REGION)
        distributions = [self.bootstrap.references["WebDistribution"]]
        for config in sample_distributions(self.cloud.stage):
            created = cloudfront.create_distribution(DistributionConfig=config)
            distributions.append(created["Distribution"]["Id"])
        token = self.sign_in(self.options.admin_username, self.options.admin_password)["IdToken"]
        for distribution_id in distributions:
            response = requests.post(
                f"{self.api_url}/vault/distributions/{distribution_id}/versions",
                json={"note": "version 1, kept when the local stack started"},
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            if not response.ok:
                self._announce(
                    f"warning: capturing {distribution_id}: {response.status_code} {response.text}"
                )
        self._announce(f"Config vault: distributions {', '.join(distributions)} at version 1")

    def sign_in(self, username: str, password: str) -> dict[str, Any]:
        """Cognito's tokens for a user of the local pool (USER_PASSWORD_AUTH)."""
        result = boto3.client("cognito-idp").initiate_auth(
            ClientId=self.bootstrap.user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        tokens: dict[str, Any] = result["AuthenticationResult"]
        return tokens
