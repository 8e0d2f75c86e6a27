"""The emulator's DynamoDB middleware (local/dynamodb/atomic.py): reads side by side, a write
alone, other services untouched; TransactWriteItems idempotent on its client token. Its effect
on moto is tested in tests/e2e/test_emulator_atomicity.py."""

import io
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

import fasteners

from local.dynamodb.atomic import IDEMPOTENCY_SECONDS, AtomicDynamoDB

# How long a test waits for something that should happen at once (a deadlock guard).
WAIT_SECONDS = 10
# How long a test watches for something that must not happen while a lock is held.
HELD_SECONDS = 0.2


def request(target: str | None) -> dict[str, Any]:
    return {} if target is None else {"HTTP_X_AMZ_TARGET": target}


def answering(handle: Callable[[dict[str, Any]], None]) -> Callable[..., list[bytes]]:
    """A WSGI application that runs `handle(environ)` and answers 200."""

    def application(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        handle(environ)
        start_response("200 OK", [])
        return [b"{}"]

    return application


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_reads_run_side_by_side() -> None:
    # Given an application that answers only once two requests are inside it together
    both_inside = threading.Barrier(2, timeout=WAIT_SECONDS)
    middleware = AtomicDynamoDB(answering(lambda _: both_inside.wait()))

    # When a GetItem and a Query arrive together, then both are answered
    with ThreadPoolExecutor(2) as pool:
        targets = ["DynamoDB_20120810.GetItem", "DynamoDB_20120810.Query"]
        answers = list(pool.map(lambda t: middleware(request(t), lambda *_: None), targets))
    assert answers == [[b"{}"], [b"{}"]]


def test_a_write_waits_for_the_read_in_progress() -> None:
    # Given a read inside the application, held there until released
    lock = fasteners.ReaderWriterLock()
    events: list[str] = []
    read_inside, release_read = threading.Event(), threading.Event()

    def handle(environ: dict[str, Any]) -> None:
        operation = environ["HTTP_X_AMZ_TARGET"].rsplit(".", 1)[1]
        events.append(f"{operation} in")
        if operation == "GetItem":
            read_inside.set()
            release_read.wait(WAIT_SECONDS)
        events.append(f"{operation} out")

    middleware = AtomicDynamoDB(answering(handle), lock)
    with ThreadPoolExecutor(2) as pool:
        read = pool.submit(middleware, request("DynamoDB_20120810.GetItem"), lambda *_: None)
        assert read_inside.wait(WAIT_SECONDS)
        # When an UpdateItem arrives meanwhile
        write = pool.submit(middleware, request("DynamoDB_20120810.UpdateItem"), lambda *_: None)
        wait_until(lambda: lock.has_pending_writers)
        release_read.set()
        read.result(WAIT_SECONDS), write.result(WAIT_SECONDS)

    # Then it enters only once the read is done
    assert events == ["GetItem in", "GetItem out", "UpdateItem in", "UpdateItem out"]


def test_a_stream_read_waits_for_the_write_in_progress() -> None:
    # Given a DynamoDB write in progress (the lock held by another thread)
    lock = fasteners.ReaderWriterLock()
    reads: list[bool] = []
    middleware = AtomicDynamoDB(answering(lambda _: reads.append(lock.is_reader())), lock)
    with ThreadPoolExecutor(1) as pool:
        with lock.write_lock():
            # When the stream poller's GetRecords arrives
            stream = pool.submit(
                middleware, request("DynamoDBStreams_20120810.GetRecords"), lambda *_: None
            )
            # Then it is not answered while the write may still be undone
            assert wait([stream], timeout=HELD_SECONDS).not_done == {stream}
            assert reads == []
        # And it is answered, sharing the read lock, once the write is done
        assert stream.result(WAIT_SECONDS) == [b"{}"]
    assert reads == [True]


def test_an_unknown_dynamodb_operation_is_a_write() -> None:
    lock = fasteners.ReaderWriterLock()
    held: list[bool] = []
    middleware = AtomicDynamoDB(answering(lambda _: held.append(lock.is_writer())), lock)

    middleware(request("DynamoDB_20120810.SomeNewOperation"), lambda *_: None)

    assert held == [True]


def test_other_services_pass_while_a_write_holds_the_lock() -> None:
    # Given a DynamoDB write in progress (the lock held by another thread)
    lock = fasteners.ReaderWriterLock()
    middleware = AtomicDynamoDB(answering(lambda _: None), lock)
    with lock.write_lock(), ThreadPoolExecutor(2) as pool:
        # When Cognito and S3 requests arrive, then they are answered meanwhile
        cognito = pool.submit(
            middleware, request("AWSCognitoIdentityProviderService.InitiateAuth"), lambda *_: None
        )
        s3 = pool.submit(middleware, request(None), lambda *_: None)
        assert cognito.result(WAIT_SECONDS) == [b"{}"]
        assert s3.result(WAIT_SECONDS) == [b"{}"]


# ---------------------------------------------------------------- TransactWriteItems' token
class Transactions:
    """A stand-in for moto behind the middleware: answers each transaction with `status`."""

    def __init__(self) -> None:
        self.status = "200 OK"
        self.runs = 0
        self.now = 1000.0
        self.middleware = AtomicDynamoDB(self._application, clock=lambda: self.now)

    def _application(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        environ["wsgi.input"].read()  # moto reads the body the middleware read first
        self.runs += 1
        start_response(self.status, [("Content-Type", "application/x-amz-json-1.0")])
        return [f'{{"run": {self.runs}}}'.encode()]

    def send(self, token: str, items: str = "[]") -> tuple[str, bytes]:
        body = f'{{"TransactItems": {items}, "ClientRequestToken": "{token}"}}'.encode()
        environ = {
            **request("DynamoDB_20120810.TransactWriteItems"),
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
        answered: list[str] = []
        answer = self.middleware(environ, lambda status, _headers: answered.append(status))
        return answered[0], b"".join(answer)


def test_a_transaction_retried_with_its_token_is_answered_as_the_first_and_runs_once() -> None:
    transactions = Transactions()
    first = transactions.send("token-1")

    retried = transactions.send("token-1")

    assert retried == first == ("200 OK", b'{"run": 1}')
    assert transactions.runs == 1


def test_the_same_token_with_another_transaction_is_a_mismatch() -> None:
    transactions = Transactions()
    transactions.send("token-1", items="[]")

    status, body = transactions.send("token-1", items='[{"Put": {}}]')

    assert status == "400 Bad Request"
    assert b"IdempotentParameterMismatchException" in body
    assert transactions.runs == 1


def test_a_transaction_that_failed_runs_again_on_retry() -> None:
    transactions = Transactions()
    transactions.status = "400 Bad Request"
    transactions.send("token-1")

    transactions.send("token-1")

    assert transactions.runs == 2


def test_a_token_is_forgotten_after_10_minutes() -> None:
    transactions = Transactions()
    transactions.send("token-1")
    transactions.now += IDEMPOTENCY_SECONDS

    status, body = transactions.send("token-1")

    assert (status, body, transactions.runs) == ("200 OK", b'{"run": 2}', 2)
