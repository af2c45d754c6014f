import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject, Logger, NotFoundException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConsoleSite } from '../console/console-site';
import type { AppConfig } from '../config';
import { CONFIG } from './tokens';
import { ConflictError, ForbiddenError, LoginRequiredError, RoleRequiredError, NotFoundError, TooManyRequestsError, UnauthenticatedError, UnavailableError, ValidationFailedError } from './errors';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  fields?: Record<string, string>;
  requiredRole?: string;
  role?: string;
}

/** The one place where errors become HTTP answers. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  constructor(
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly site: ConsoleSite,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // No route and no file: a deep link into the console gets its page (services throw
    // NotFoundError for missing records, so NotFoundException means only "no such route").
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    if (exception instanceof NotFoundException && this.site.isPageRequest(request.method, request.url)) {
      void this.site.sendPage(reply);
      return;
    }
    // The console's login page reads returnUrl and, once logged in, opens that path again.
    if (exception instanceof LoginRequiredError) {
      void reply.redirect(`/login?${new URLSearchParams({ returnUrl: exception.returnPath })}`, 303);
      return;
    }
    const body = this.toBody(exception);
    if (exception instanceof TooManyRequestsError) reply.header('retry-after', String(exception.retryAfterSeconds));
    // An UnavailableError was logged with its cause where it was raised; its own stack says nothing more.
    if (body.statusCode >= 500 && !(exception instanceof UnavailableError)) this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof ValidationFailedError) {
      return { statusCode: 400, error: 'Bad Request', message: exception.message, fields: exception.fields };
    }
    if (exception instanceof NotFoundError) return { statusCode: 404, error: 'Not Found', message: exception.message };
    if (exception instanceof ConflictError) return { statusCode: 409, error: 'Conflict', message: exception.message };
    if (exception instanceof UnauthenticatedError) return { statusCode: 401, error: 'Unauthorized', message: exception.message };
    if (exception instanceof RoleRequiredError) {
      return { statusCode: 403, error: 'Forbidden', message: exception.message, requiredRole: exception.requiredRole, role: exception.role };
    }
    if (exception instanceof ForbiddenError) return { statusCode: 403, error: 'Forbidden', message: exception.message };
    if (exception instanceof TooManyRequestsError) return { statusCode: 429, error: 'Too Many Requests', message: exception.message };
    if (exception instanceof UnavailableError) return { statusCode: 503, error: 'Service Unavailable', message: exception.message };
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 413) {
        return {
          statusCode: 413,
          error: 'Payload Too Large',
          message: `The body is larger than the limit of ${this.config.maxBodyBytes} bytes; send less, or raise HOOKLINE_MAX_BODY on the server`,
        };
      }
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : String((response as { message?: unknown }).message ?? exception.message);
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
    }
    const fastifyError = exception as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return { statusCode: fastifyError.statusCode, error: STATUS_CODES[fastifyError.statusCode] ?? 'Error', message: fastifyError.message ?? 'Bad request' };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'The server failed to handle this request; the error is in its log.' };
  }
}
